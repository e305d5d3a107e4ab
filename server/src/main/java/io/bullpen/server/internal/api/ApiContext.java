package io.bullpen.server.internal.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.bullpen.Job;
import io.bullpen.redis.Queue;
import io.bullpen.redis.RawJson;
import io.bullpen.server.internal.cache.ReadCache;
import io.bullpen.server.internal.http.ApiException;
import io.bullpen.server.internal.json.Json;
import io.bullpen.server.internal.queues.QueueRegistry;
import io.javalin.http.Context;
import java.util.function.Supplier;

/** What every route handler uses: the queues, the read cache, and finding a queue or job named in the path. */
public final class ApiContext {
  public static final String BASE = "/api/v1";

  private final QueueRegistry queues;
  private final ReadCache cache;

  public ApiContext(QueueRegistry queues, ReadCache cache) {
    this.queues = queues;
    this.cache = cache;
  }

  public QueueRegistry queues() {
    return queues;
  }

  public ReadCache cache() {
    return cache;
  }

  /** The queue named by the path's {@code {queue}}; 404 {@code unknown_queue} when not served. */
  public Queue queue(Context ctx) {
    return queues.queue(ctx.pathParam("queue"));
  }

  /** A read of {@code ctx}'s queue through the cache. */
  public <T> T cached(Context ctx, String query, Supplier<T> load) {
    return cache.get(ctx.pathParam("queue"), query, load);
  }

  /** The job named by the path's {@code {id}}; 404 {@code job_not_found} when there is none. */
  public static Job job(Queue queue, String id) {
    return queue.getJob(id).orElseThrow(() -> notFound(queue, id));
  }

  public static ApiException notFound(Queue queue, String id) {
    return new ApiException(404, "job_not_found", "id", "no job \"" + id + "\" in queue \"" + queue.name() + "\"");
  }

  /** A JSON value to store as job data or a result, exactly as sent. */
  public static RawJson raw(JsonNode value) {
    return value == null || value.isNull() ? null : RawJson.of(value.toString());
  }

  /** Responds {@code body} as JSON with {@code status}. */
  public static void respond(Context ctx, int status, Object body) {
    ctx.status(status);
    Json.write(ctx, body);
  }
}
