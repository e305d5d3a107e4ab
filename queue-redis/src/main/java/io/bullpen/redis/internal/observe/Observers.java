package io.bullpen.redis.internal.observe;

import io.bullpen.observe.AddObservation;
import io.bullpen.observe.AttemptObservation;
import io.bullpen.observe.AttemptResult;
import io.bullpen.observe.JobAdd;
import io.bullpen.observe.JobAttempt;
import io.bullpen.observe.JobObserver;
import io.bullpen.observe.Scope;
import io.bullpen.observe.WorkerInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registered observers as one {@link JobObserver}, or {@link JobObserver#NONE} when there are none, so that callers
 * skip all observation work with one identity check. Each observer is called in registration order; one that
 * throws is logged and skipped, and never changes what happens to a job.
 */
public final class Observers implements JobObserver {
  private static final Logger LOG = LoggerFactory.getLogger(Observers.class);

  private final List<JobObserver> observers;

  private Observers(List<JobObserver> observers) {
    this.observers = observers;
  }

  /** {@link JobObserver#NONE} for an empty list, else the guarded composite. */
  public static JobObserver of(List<JobObserver> observers) {
    return observers.isEmpty() ? JobObserver.NONE : new Observers(List.copyOf(observers));
  }

  @Override
  public AddObservation addStarting(String queueName, List<JobAdd> jobs) {
    List<AddObservation> started = new ArrayList<>(observers.size());
    for (JobObserver o : observers) {
      AddObservation a = call(o, "addStarting", () -> o.addStarting(queueName, jobs));
      if (a != null && a != AddObservation.NONE) {
        started.add(a);
      }
    }
    return started.isEmpty() ? AddObservation.NONE : new Adds(started);
  }

  @Override
  public AttemptObservation attemptStarting(JobAttempt attempt) {
    List<AttemptObservation> started = new ArrayList<>(observers.size());
    for (JobObserver o : observers) {
      AttemptObservation a = call(o, "attemptStarting", () -> o.attemptStarting(attempt));
      if (a != null && a != AttemptObservation.NONE) {
        started.add(a);
      }
    }
    return started.isEmpty() ? AttemptObservation.NONE : new Attempts(started);
  }

  @Override
  public void workerStarted(WorkerInfo worker) {
    each("workerStarted", o -> o.workerStarted(worker));
  }

  @Override
  public void workerClosed(WorkerInfo worker) {
    each("workerClosed", o -> o.workerClosed(worker));
  }

  @Override
  public void jobStalled(String queueName, String jobId) {
    each("jobStalled", o -> o.jobStalled(queueName, jobId));
  }

  @Override
  public void lockRenewalFailed(String queueName, String jobId) {
    each("lockRenewalFailed", o -> o.lockRenewalFailed(queueName, jobId));
  }

  private void each(String what, Consumer<JobObserver> call) {
    for (JobObserver o : observers) {
      run(o, what, () -> call.accept(o));
    }
  }

  private static final class Adds implements AddObservation {
    private final List<AddObservation> parts;

    Adds(List<AddObservation> parts) {
      this.parts = parts;
    }

    @Override
    public Map<String, String> propagationHeaders(int index) {
      Map<String, String> headers = null;
      for (AddObservation a : parts) {
        Map<String, String> h = call(a, "propagationHeaders", () -> a.propagationHeaders(index));
        if (h != null && !h.isEmpty()) {
          if (headers == null) {
            headers = new LinkedHashMap<>();
          }
          h.forEach(headers::putIfAbsent);
        }
      }
      return headers == null ? Map.of() : headers;
    }

    @Override
    public void added(List<String> jobIds) {
      for (AddObservation a : parts) {
        run(a, "added", () -> a.added(jobIds));
      }
    }

    @Override
    public void failed(Throwable error) {
      for (AddObservation a : parts) {
        run(a, "failed", () -> a.failed(error));
      }
    }
  }

  private static final class Attempts implements AttemptObservation {
    private final List<AttemptObservation> parts;

    Attempts(List<AttemptObservation> parts) {
      this.parts = parts;
    }

    @Override
    public Scope enter() {
      List<Scope> scopes = new ArrayList<>(parts.size());
      for (AttemptObservation a : parts) {
        Scope s = call(a, "enter", a::enter);
        if (s != null && s != Scope.NONE) {
          scopes.add(s);
        }
      }
      if (scopes.isEmpty()) {
        return Scope.NONE;
      }
      return () -> {
        for (int i = scopes.size() - 1; i >= 0; i--) {
          Scope s = scopes.get(i);
          run(s, "close", s::close);
        }
      };
    }

    @Override
    public void settled(AttemptResult result) {
      for (AttemptObservation a : parts) {
        run(a, "settled", () -> a.settled(result));
      }
    }
  }

  private static <T> T call(Object observer, String what, Supplier<T> call) {
    try {
      return call.get();
    } catch (RuntimeException | LinkageError e) {
      LOG.warn("observer {} threw on {}; ignored", observer, what, e);
      return null;
    }
  }

  private static void run(Object observer, String what, Runnable call) {
    try {
      call.run();
    } catch (RuntimeException | LinkageError e) {
      LOG.warn("observer {} threw on {}; ignored", observer, what, e);
    }
  }
}
