package io.bullpen;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * A processor that hands each job to the handler registered for its name.
 *
 * <pre>{@code
 * JobRouter router = JobRouter.builder()
 *     .handle("resize", job -> images.resize(job.data(Resize.class)))
 *     .handle("crop", job -> images.crop(job.data(Crop.class)))
 *     .build();
 * Worker worker = new Worker("images", router, options);
 * }</pre>
 *
 * <p>A job whose name has no handler fails at once, without retry, with an {@link UnrecoverableError} naming the
 * job's name and the names handled.
 */
public final class JobRouter implements Processor {
  private final Map<String, Processor> handlers;

  private JobRouter(Map<String, Processor> handlers) {
    this.handlers = Collections.unmodifiableMap(new TreeMap<>(handlers));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The job names this router handles, sorted. */
  public Set<String> names() {
    return handlers.keySet();
  }

  @Override
  public Object process(Job job) throws Exception {
    Processor handler = handlers.get(job.name());
    if (handler == null) {
      throw new UnrecoverableError("no handler for job name \"" + job.name() + "\" (job " + job.id()
          + "); this worker handles " + handlers.keySet());
    }
    return handler.process(job);
  }

  /** Collects handlers; each name may be registered once. */
  public static final class Builder {
    private final Map<String, Processor> handlers = new TreeMap<>();

    private Builder() {}

    public Builder handle(String name, Processor handler) {
      if (name == null || name.isEmpty()) {
        throw new InvalidOptionException("name", name, "a job name must be a non-empty string");
      }
      Objects.requireNonNull(handler, "handler");
      if (handlers.putIfAbsent(name, handler) != null) {
        throw new InvalidOptionException("name", name, "already has a handler");
      }
      return this;
    }

    public JobRouter build() {
      if (handlers.isEmpty()) {
        throw new InvalidOptionException("handlers", "[]", "register at least one handler with handle(name, fn)");
      }
      return new JobRouter(handlers);
    }
  }
}
