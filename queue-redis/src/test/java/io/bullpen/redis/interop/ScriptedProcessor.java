package io.bullpen.redis.interop;

import com.fasterxml.jackson.databind.JsonNode;
import io.bullpen.Job;
import io.bullpen.JobOptions;
import io.bullpen.Processor;
import io.bullpen.UnrecoverableError;
import io.bullpen.redis.internal.codec.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The Java twin of {@code interop/node/worker.mjs}: does what the job's data says (report {@code progress}
 * values, write the {@code logs} lines with {@code job.log}, throw on the first {@code failAttempts} attempts,
 * throw {@link UnrecoverableError} when {@code unrecoverable}) and returns {@code {"name":...,"attempt":k}}.
 * Records every call.
 */
final class ScriptedProcessor implements Processor {
  /** What the processor saw when it was called. */
  record Call(String id, String name, String dataJson, JobOptions options, int attemptsStarted, int attemptsMade,
      long timestamp, OptionalLong processedOn, long delay, int priority, long calledAt) {}

  private final List<Call> calls = new ArrayList<>();

  @Override
  public Object process(Job job) {
    int attempt = job.attemptsStarted();
    synchronized (calls) {
      calls.add(new Call(job.id(), job.name(), job.dataJson(), job.options(), attempt, job.attemptsMade(),
          job.timestamp(), job.processedOn(), job.delay(), job.priority(), System.currentTimeMillis()));
    }
    JsonNode data = Json.tree(job.dataJson(), "data");
    for (JsonNode value : data.path("progress")) {
      job.updateProgress(Json.MAPPER.convertValue(value, Object.class));
    }
    for (JsonNode line : data.path("logs")) {
      job.log(line.asText());
    }
    if (data.path("unrecoverable").asBoolean(false)) {
      throw new UnrecoverableError(InteropJob.UNRECOVERABLE_MESSAGE);
    }
    if (attempt <= data.path("failAttempts").asInt(0)) {
      throw new IllegalStateException(InteropJob.boom(attempt));
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("name", job.name());
    result.put("attempt", attempt);
    return result;
  }

  /** Every call, in the order the processor was called. */
  List<Call> calls() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }

  /** The calls for one job name, in order. */
  List<Call> callsFor(String name) {
    return calls().stream().filter(c -> c.name().equals(name)).toList();
  }
}
