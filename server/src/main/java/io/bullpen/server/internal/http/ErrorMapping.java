package io.bullpen.server.internal.http;

import io.bullpen.ClosedException;
import io.bullpen.InvalidOptionException;
import io.bullpen.JobNotFoundException;
import io.bullpen.JobStateException;
import io.bullpen.QueueConnectionException;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every exception a handler throws into the JSON error shape with a stable code: the client's mistakes are 4xx
 * (a bad field 400, a missing job 404, a job in the wrong state 409, a body too large 413), Redis trouble 503, and
 * only a bug in the server is 500 (logged with its stack trace, shown without it).
 */
public final class ErrorMapping {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorMapping.class);

  private ErrorMapping() {}

  public static void handle(Exception thrown, Context ctx) {
    Throwable e = thrown instanceof CompletionException && thrown.getCause() != null ? thrown.getCause() : thrown;
    if (e instanceof ApiException api) {
      ErrorBodies.write(ctx, api);
    } else if (e instanceof InvalidOptionException invalid) {
      ErrorBodies.write(ctx, 400, "invalid_field", invalid.field(), invalid.getMessage());
    } else if (e instanceof JobNotFoundException missing) {
      ErrorBodies.write(ctx, 404, "job_not_found", "id", missing.getMessage());
    } else if (e instanceof JobStateException state) {
      ErrorBodies.write(ctx, 409, "wrong_state", "id", state.getMessage());
    } else if (e instanceof QueueConnectionException redis) {
      LOG.warn("{} {}: Redis unavailable: {}", ctx.method(), ctx.path(), redis.getMessage());
      ErrorBodies.write(ctx, 503, "redis_unavailable", null, "Redis did not answer: " + redis.getMessage());
    } else if (e instanceof ClosedException) {
      ErrorBodies.write(ctx, 503, "shutting_down", null, "the server is shutting down");
    } else if (e instanceof HttpResponseException http) {
      ErrorBodies.write(ctx, http.getStatus(), http.getStatus() == 413 ? "body_too_large" : "http_" + http.getStatus(),
          null, http.getMessage());
    } else {
      LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
      ErrorBodies.write(ctx, 500, "internal", null, "the server failed on this request; its log has the details");
    }
  }
}
