package io.bullpen.server.internal.api;

import static io.bullpen.server.internal.api.ApiContext.BASE;
import static io.bullpen.server.internal.api.ApiContext.respond;
import static io.bullpen.server.internal.http.Requests.body;
import static io.bullpen.server.internal.http.Requests.bool;
import static io.bullpen.server.internal.http.Requests.integer;
import static io.bullpen.server.internal.http.Requests.onlyFields;
import static io.bullpen.server.internal.http.Requests.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bullpen.JobState;
import io.bullpen.redis.Queue;
import io.bullpen.server.ApiKey;
import io.bullpen.server.CacheStats;
import io.bullpen.server.Scope;
import io.bullpen.server.internal.http.Authenticator;
import io.bullpen.server.internal.http.Route;
import io.bullpen.server.internal.json.Json;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Queues as a whole: listing them with counts, pausing, cleaning, draining, their throughput. */
public final class QueueRoutes {
  private static final String QUEUE = BASE + "/queues/{queue}";
  private static final int METRIC_POINTS = 60;

  private final ApiContext api;

  public QueueRoutes(ApiContext api) {
    this.api = api;
  }

  public List<Route> routes() {
    return List.of(
        new Route("GET", BASE + "/whoami", Scope.READ, false, this::whoami),
        new Route("GET", BASE + "/cache", Scope.READ, false, this::cacheStats),
        new Route("GET", BASE + "/queues", Scope.READ, false, this::list),
        new Route("GET", QUEUE, Scope.READ, false, this::get),
        new Route("GET", QUEUE + "/metrics", Scope.READ, false, this::metrics),
        new Route("POST", QUEUE + "/pause", Scope.ADMIN, true, this::pause),
        new Route("POST", QUEUE + "/resume", Scope.ADMIN, true, this::resume),
        new Route("POST", QUEUE + "/clean", Scope.ADMIN, true, this::clean),
        new Route("POST", QUEUE + "/drain", Scope.ADMIN, true, this::drain));
  }

  private void whoami(Context ctx) {
    ApiKey key = Authenticator.key(ctx);
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("id", key.id());
    node.put("name", key.name());
    ArrayNode scopes = node.putArray("scopes");
    Set.copyOf(key.scopes()).stream().sorted().forEach(s -> scopes.add(s.wireName()));
    ArrayNode queues = node.putArray("queues");
    key.queuePatterns().forEach(queues::add);
    respond(ctx, 200, node);
  }

  private void cacheStats(Context ctx) {
    CacheStats stats = api.cache().stats();
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("hits", stats.hits());
    node.put("misses", stats.misses());
    node.put("hitRate", stats.hitRate());
    node.put("size", stats.size());
    node.put("evictions", stats.evictions());
    node.put("versionPolls", stats.versionPolls());
    respond(ctx, 200, node);
  }

  private void list(Context ctx) {
    ApiKey key = Authenticator.key(ctx);
    ObjectNode out = Json.MAPPER.createObjectNode();
    ArrayNode queues = out.putArray("queues");
    for (String name : api.queues().names()) {
      if (key.coversQueue(name)) {
        queues.add(api.cache().get(name, "summary", () -> summary(api.queues().queue(name))));
      }
    }
    respond(ctx, 200, out);
  }

  private void get(Context ctx) {
    Queue queue = api.queue(ctx);
    respond(ctx, 200, api.cached(ctx, "summary", () -> summary(queue)));
  }

  /** Name, paused flag, the count of every state and the number of job schedulers. */
  static JsonNode summary(Queue queue) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("name", queue.name());
    node.put("paused", queue.isPaused());
    ObjectNode counts = node.putObject("counts");
    Map<JobState, Long> all = queue.getJobCounts();
    for (JobState state : JobState.values()) {
      if (state != JobState.UNKNOWN) {
        counts.put(state.wireName(), all.getOrDefault(state, 0L));
      }
    }
    node.put("schedulers", queue.schedulers().count());
    return node;
  }

  private void metrics(Context ctx) {
    Queue queue = api.queue(ctx);
    JsonNode view = api.cached(ctx, "metrics", () -> {
      ObjectNode node = Json.MAPPER.createObjectNode();
      for (String type : List.of("completed", "failed")) {
        Map<String, String> meta = api.queues().reads().metricsMeta(queue.qualifiedName(), type);
        ObjectNode metric = node.putObject(type);
        metric.put("enabled", !meta.isEmpty());
        metric.put("count", parse(meta.get("count")));
        metric.put("prevTS", parse(meta.get("prevTS")));
        ArrayNode perMinute = metric.putArray("perMinute");
        api.queues().reads().metricsData(queue.qualifiedName(), type, METRIC_POINTS)
            .forEach(point -> perMinute.add(parse(point)));
      }
      return node;
    });
    respond(ctx, 200, view);
  }

  private static long parse(String number) {
    try {
      return number == null ? 0 : (long) Double.parseDouble(number);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private void pause(Context ctx) {
    Queue queue = api.queue(ctx);
    queue.pause();
    respond(ctx, 200, paused(queue));
  }

  private void resume(Context ctx) {
    Queue queue = api.queue(ctx);
    queue.resume();
    respond(ctx, 200, paused(queue));
  }

  private static ObjectNode paused(Queue queue) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("name", queue.name());
    node.put("paused", queue.isPaused());
    return node;
  }

  private void clean(Context ctx) {
    Queue queue = api.queue(ctx);
    ObjectNode body = body(ctx);
    onlyFields(body, "", Set.of("state", "graceMs", "limit"));
    JobState state = JobSearch.state(text(body, "", "state"));
    long grace = integer(body, "", "graceMs", 0, 0, Long.MAX_VALUE / 1_000_000);
    int limit = (int) integer(body, "", "limit", 0, 0, Integer.MAX_VALUE);
    List<String> removed = queue.clean(Duration.ofMillis(grace), limit, state);
    ObjectNode node = Json.MAPPER.createObjectNode();
    ArrayNode ids = node.putArray("removed");
    removed.forEach(ids::add);
    respond(ctx, 200, node);
  }

  private void drain(Context ctx) {
    Queue queue = api.queue(ctx);
    ObjectNode body = body(ctx);
    onlyFields(body, "", Set.of("delayed"));
    queue.drain(bool(body, "", "delayed", false));
    respond(ctx, 200, summary(queue));
  }
}
