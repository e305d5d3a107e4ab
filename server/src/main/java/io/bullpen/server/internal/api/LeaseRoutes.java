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
import io.bullpen.LeaseFailure;
import io.bullpen.UnrecoverableError;
import io.bullpen.redis.Leases;
import io.bullpen.server.Scope;
import io.bullpen.server.internal.http.ApiException;
import io.bullpen.server.internal.http.Requests;
import io.bullpen.server.internal.http.Route;
import io.bullpen.server.internal.json.JobViews;
import io.bullpen.server.internal.json.Json;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The lease API for remote workers ({@code queue.leases()} over HTTP): claim jobs under an owner token and a lease,
 * then ack, fail, extend or abandon them by id. Ownership is checked per job, so a reply lists what was done and
 * what was refused, with why.
 */
public final class LeaseRoutes {
  private static final String LEASES = BASE + "/queues/{queue}/leases";
  private static final long MAX_LEASE_MS = Duration.ofHours(24).toMillis();
  private static final int MAX_IDS = 10_000;

  private final ApiContext api;

  public LeaseRoutes(ApiContext api) {
    this.api = api;
  }

  public List<Route> routes() {
    return List.of(
        new Route("POST", LEASES + "/claim", Scope.WORK, true, this::claim),
        new Route("POST", LEASES + "/ack", Scope.WORK, true, this::ack),
        new Route("POST", LEASES + "/fail", Scope.WORK, true, this::fail),
        new Route("POST", LEASES + "/extend", Scope.WORK, true, this::extend),
        new Route("POST", LEASES + "/abandon", Scope.WORK, true, this::abandon));
  }

  private Leases leases(Context ctx) {
    return api.queue(ctx).leases();
  }

  private void claim(Context ctx) {
    Leases leases = leases(ctx);
    ObjectNode body = body(ctx);
    onlyFields(body, "", Set.of("owner", "leaseMs", "max"));
    String owner = owner(body);
    long leaseMs = integer(body, "", "leaseMs", 30_000, 1, MAX_LEASE_MS);
    int max = (int) integer(body, "", "max", 1, 1, 10_000);
    ObjectNode out = Json.MAPPER.createObjectNode();
    ArrayNode jobs = out.putArray("jobs");
    leases.claim(owner, Duration.ofMillis(leaseMs), max).forEach(job -> jobs.add(JobViews.withPayload(job, null)));
    respond(ctx, 200, out);
  }

  private void ack(Context ctx) {
    Leases leases = leases(ctx);
    ObjectNode body = body(ctx);
    onlyFields(body, "", Set.of("owner", "results", "jobs"));
    String owner = owner(body);
    JsonNode results = body.get("results");
    if (results != null && !results.isNull()) {
      if (body.has("jobs")) {
        throw ApiException.invalid("jobs", "give results ({id: value}) or jobs ([ids]), not both");
      }
      if (!results.isObject() || results.isEmpty() || results.size() > MAX_IDS) {
        throw ApiException.invalid("results", "results must be an object of 1 to " + MAX_IDS + " job id: result");
      }
      Map<String, Object> byId = new LinkedHashMap<>();
      results.fields().forEachRemaining(e -> byId.put(e.getKey(), raw(e.getValue())));
      respond(ctx, 200, JobViews.leaseResult(leases.ack(owner, byId)));
    } else {
      respond(ctx, 200, JobViews.leaseResult(leases.ack(owner, ids(body, "jobs"))));
    }
  }

  private void fail(Context ctx) {
    Leases leases = leases(ctx);
    ObjectNode body = body(ctx);
    onlyFields(body, "", Set.of("owner", "failures"));
    String owner = owner(body);
    JsonNode failures = body.get("failures");
    if (failures == null || !failures.isArray() || failures.isEmpty() || failures.size() > MAX_IDS) {
      throw ApiException.invalid("failures", "failures must be an array of 1 to " + MAX_IDS
          + " {id, reason, retryAfterMs, unrecoverable}");
    }
    List<LeaseFailure> list = new ArrayList<>();
    for (int i = 0; i < failures.size(); i++) {
      String where = "failures[" + i + "]";
      JsonNode f = failures.get(i);
      if (!f.isObject()) {
        throw ApiException.invalid(where, where + " must be {id, reason, retryAfterMs, unrecoverable}");
      }
      onlyFields(f, where, Set.of("id", "reason", "retryAfterMs", "unrecoverable"));
      String id = text(f, where, "id");
      String reason = text(f, where, "reason");
      LeaseFailure failure = bool(f, where, "unrecoverable", false)
          ? LeaseFailure.of(id, new UnrecoverableError(reason)) : LeaseFailure.of(id, reason);
      if (f.hasNonNull("retryAfterMs")) {
        failure = failure.retryAfter(Duration.ofMillis(integer(f, where, "retryAfterMs", 0, MAX_LEASE_MS)));
      }
      list.add(failure);
    }
    respond(ctx, 200, JobViews.leaseResult(leases.fail(owner, list)));
  }

  private void extend(Context ctx) {
    Leases leases = leases(ctx);
    ObjectNode body = body(ctx);
    onlyFields(body, "", Set.of("owner", "jobs", "leaseMs"));
    String owner = owner(body);
    long leaseMs = integer(body, "", "leaseMs", 1, MAX_LEASE_MS);
    respond(ctx, 200, JobViews.leaseResult(leases.extend(owner, ids(body, "jobs"), Duration.ofMillis(leaseMs))));
  }

  private void abandon(Context ctx) {
    Leases leases = leases(ctx);
    ObjectNode body = body(ctx);
    onlyFields(body, "", Set.of("owner", "jobs"));
    String owner = owner(body);
    respond(ctx, 200, JobViews.leaseResult(leases.abandon(owner, ids(body, "jobs"))));
  }

  private static String owner(ObjectNode body) {
    String owner = text(body, "", "owner");
    if (owner.isEmpty() || owner.equals("0")) {
      throw ApiException.invalid("owner", "owner must be a token of your choosing, not empty and not \"0\"");
    }
    return owner;
  }

  private static List<String> ids(ObjectNode body, String field) {
    JsonNode ids = body.get(field);
    if (ids == null || !ids.isArray() || ids.isEmpty() || ids.size() > MAX_IDS) {
      throw ApiException.invalid(field, field + " must be an array of 1 to " + MAX_IDS + " job ids");
    }
    List<String> list = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      list.add(Requests.textValue(ids.get(i), field + "[" + i + "]"));
    }
    return list;
  }
}
