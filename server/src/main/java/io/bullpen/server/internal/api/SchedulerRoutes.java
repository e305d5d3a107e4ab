package io.bullpen.server.internal.api;

import static io.bullpen.server.internal.api.ApiContext.BASE;
import static io.bullpen.server.internal.api.ApiContext.raw;
import static io.bullpen.server.internal.api.ApiContext.respond;
import static io.bullpen.server.internal.http.Requests.body;
import static io.bullpen.server.internal.http.Requests.bool;
import static io.bullpen.server.internal.http.Requests.integer;
import static io.bullpen.server.internal.http.Requests.onlyFields;
import static io.bullpen.server.internal.http.Requests.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bullpen.InvalidOptionException;
import io.bullpen.Job;
import io.bullpen.JobSpec;
import io.bullpen.redis.JobScheduler;
import io.bullpen.redis.Queue;
import io.bullpen.scheduler.Repeat;
import io.bullpen.server.Scope;
import io.bullpen.server.internal.http.ApiException;
import io.bullpen.server.internal.http.Requests;
import io.bullpen.server.internal.http.Route;
import io.bullpen.server.internal.json.JobOptionsReader;
import io.bullpen.server.internal.json.JobViews;
import io.bullpen.server.internal.json.Json;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;

/** Job schedulers (repeatable jobs): listing them with their next run, creating or replacing one, removing one. */
public final class SchedulerRoutes {
  private static final String SCHEDULERS = BASE + "/queues/{queue}/schedulers";
  private static final Set<String> FIELDS = Set.of("pattern", "every", "tz", "offset", "limit", "startDate",
      "endDate", "immediately", "template");

  private final ApiContext api;

  public SchedulerRoutes(ApiContext api) {
    this.api = api;
  }

  public List<Route> routes() {
    return List.of(
        new Route("GET", SCHEDULERS, Scope.READ, false, this::list),
        new Route("PUT", SCHEDULERS + "/{id}", Scope.ADMIN, true, this::upsert),
        new Route("DELETE", SCHEDULERS + "/{id}", Scope.ADMIN, true, this::remove));
  }

  private void list(Context ctx) {
    Queue queue = api.queue(ctx);
    JsonNode view = api.cached(ctx, "schedulers", () -> {
      ObjectNode node = Json.MAPPER.createObjectNode();
      ArrayNode all = node.putArray("schedulers");
      queue.schedulers().list().forEach(s -> all.add(view(s)));
      return node;
    });
    respond(ctx, 200, view);
  }

  static ObjectNode view(JobScheduler s) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("id", s.id());
    node.put("name", s.name());
    s.pattern().ifPresent(p -> node.put("pattern", p));
    s.every().ifPresent(e -> node.put("every", e));
    s.tz().ifPresent(tz -> node.put("tz", tz));
    s.limit().ifPresent(l -> node.put("limit", l));
    s.startDate().ifPresent(d -> node.put("startDate", d.toString()));
    s.endDate().ifPresent(d -> node.put("endDate", d.toString()));
    node.put("next", s.next().toString());
    node.put("nextJobId", s.nextJobId());
    node.put("iterationCount", s.iterationCount());
    node.set("data", Json.parseStored(s.dataJson()));
    node.set("options", Json.parseStored(s.templateOptionsJson()));
    return node;
  }

  private void upsert(Context ctx) {
    Queue queue = api.queue(ctx);
    String id = ctx.pathParam("id");
    ObjectNode body = body(ctx);
    onlyFields(body, "", FIELDS);
    Repeat repeat = repeat(body);
    JobSpec template = null;
    JsonNode t = body.get("template");
    if (t != null && !t.isNull()) {
      if (!t.isObject()) {
        throw ApiException.invalid("template", "template must be {name, data, options}");
      }
      onlyFields(t, "template", Set.of("name", "data", "options"));
      template = JobSpec.of(text(t, "template", "name", null), raw(t.get("data")),
          JobOptionsReader.read(t.get("options"), "template.options"));
    }
    Job next = queue.schedulers().upsert(id, repeat, template);
    ObjectNode node = queue.schedulers().get(id).map(SchedulerRoutes::view)
        .orElseGet(Json.MAPPER::createObjectNode);
    node.set("nextJob", JobViews.summary(next, null));
    respond(ctx, 200, node);
  }

  private static Repeat repeat(ObjectNode body) {
    boolean cron = body.hasNonNull("pattern");
    boolean every = body.hasNonNull("every");
    if (cron == every) {
      throw ApiException.invalid(cron ? "every" : "pattern", "give exactly one of pattern (cron) and every (ms)");
    }
    try {
      Repeat.Builder b = cron ? Repeat.cron(text(body, "", "pattern"))
          : Repeat.every(Duration.ofMillis(integer(body, "", "every", 1, Long.MAX_VALUE)));
      String tz = text(body, "", "tz", null);
      if (tz != null) {
        b.tz(tz);
      }
      if (body.hasNonNull("offset")) {
        b.offset(Duration.ofMillis(integer(body, "", "offset", 0, Long.MAX_VALUE)));
      }
      if (body.hasNonNull("limit")) {
        b.limit((int) integer(body, "", "limit", 1, Integer.MAX_VALUE));
      }
      instant(body, "startDate").ifPresent(b::startDate);
      instant(body, "endDate").ifPresent(b::endDate);
      b.immediately(bool(body, "", "immediately", false));
      return b.build();
    } catch (InvalidOptionException e) {
      throw ApiException.invalid(e.field(), e.getMessage());
    }
  }

  private static java.util.Optional<Instant> instant(ObjectNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return java.util.Optional.empty();
    }
    if (value.isIntegralNumber()) {
      return java.util.Optional.of(Instant.ofEpochMilli(Requests.integerValue(value, field, 0, Long.MAX_VALUE)));
    }
    try {
      return java.util.Optional.of(Instant.parse(Requests.textValue(value, field)));
    } catch (DateTimeParseException e) {
      throw ApiException.invalid(field, field + " must be epoch ms or an ISO-8601 instant, not " + value);
    }
  }

  private void remove(Context ctx) {
    Queue queue = api.queue(ctx);
    String id = ctx.pathParam("id");
    if (!queue.schedulers().remove(id)) {
      throw new ApiException(404, "scheduler_not_found", "id", "no job scheduler \"" + id + "\" in queue \""
          + queue.name() + "\"");
    }
    ctx.status(204);
  }
}
