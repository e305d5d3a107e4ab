package io.bullpen.server.internal.api;

import static io.bullpen.server.internal.api.ApiContext.respond;
import static io.bullpen.server.internal.http.Requests.queryInt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bullpen.InvalidOptionException;
import io.bullpen.Job;
import io.bullpen.JobState;
import io.bullpen.redis.Queue;
import io.bullpen.server.internal.http.ApiException;
import io.bullpen.server.internal.json.JobViews;
import io.bullpen.server.internal.json.Json;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Listing a state's jobs a page at a time, and searching them: by id ({@code ?id=}), or by a field of the data
 * ({@code ?field=user.email&value=ann@example.com}, a dotted path into the data's JSON). A data search reads the
 * state's newest jobs, at most {@value #SEARCH_WINDOW} of them, and says whether it stopped there.
 */
final class JobSearch {
  static final int SEARCH_WINDOW = 5_000;
  private static final int SEARCH_BATCH = 500;

  private final ApiContext api;

  JobSearch(ApiContext api) {
    this.api = api;
  }

  void list(Context ctx) {
    Queue queue = api.queue(ctx);
    JobState state = state(ctx.queryParam("state"));
    long start = queryInt(ctx, "start", 0, 0, Integer.MAX_VALUE);
    long size = queryInt(ctx, "size", 20, 1, 1000);
    boolean asc = order(ctx.queryParam("order"));
    String id = ctx.queryParam("id");
    String field = ctx.queryParam("field");
    String value = ctx.queryParam("value");
    if ((field == null) != (value == null)) {
      throw ApiException.invalid(field == null ? "field" : "value", "a data search needs both field and value");
    }
    String query = "list:" + state + ":" + start + ":" + size + ":" + asc + ":" + id + ":" + field + ":" + value;
    JsonNode page = api.cached(ctx, query, () -> {
      if (id != null && !id.isEmpty()) {
        return byId(queue, id);
      }
      if (field != null) {
        return byField(queue, state, start, size, asc, field, value);
      }
      long total = queue.getJobCounts(state).getOrDefault(state, 0L);
      List<Job> jobs = queue.getJobs(Set.of(state), start, start + size - 1, asc);
      return page(state, jobs, start, size, total);
    });
    respond(ctx, 200, page);
  }

  private static ObjectNode byId(Queue queue, String id) {
    List<Job> found = queue.getJob(id).map(List::of).orElse(List.of());
    JobState state = found.isEmpty() ? null : queue.getJobState(id);
    ObjectNode node = Json.MAPPER.createObjectNode();
    ArrayNode jobs = node.putArray("jobs");
    found.forEach(job -> jobs.add(JobViews.summary(job, state)));
    node.put("start", 0);
    node.put("size", found.size());
    node.put("total", found.size());
    return node;
  }

  private static ObjectNode byField(Queue queue, JobState state, long start, long size, boolean asc, String field,
      String value) {
    String[] path = field.split("\\.");
    for (String part : path) {
      if (part.isEmpty()) {
        throw ApiException.invalid("field", "field \"" + field + "\" must be a dotted path such as user.email");
      }
    }
    List<Job> matches = new ArrayList<>();
    long read = 0;
    boolean more = true;
    while (more && read < SEARCH_WINDOW) {
      List<Job> batch = queue.getJobs(Set.of(state), read, read + SEARCH_BATCH - 1, asc);
      read += batch.size();
      more = batch.size() == SEARCH_BATCH;
      for (Job job : batch) {
        if (matches(Json.parseStored(job.dataJson()), path, value)) {
          matches.add(job);
        }
      }
    }
    List<Job> pageOf = matches.subList((int) Math.min(start, matches.size()),
        (int) Math.min(start + size, matches.size()));
    ObjectNode node = page(state, pageOf, start, size, matches.size());
    node.put("searched", read);
    node.put("truncated", more);
    return node;
  }

  private static boolean matches(JsonNode data, String[] path, String value) {
    JsonNode node = data;
    for (String part : path) {
      if (node == null) {
        return false;
      }
      node = node.isArray() && part.matches("\\d+") ? node.get(Integer.parseInt(part)) : node.get(part);
    }
    if (node == null || node.isContainerNode()) {
      return false;
    }
    return node.isTextual() ? node.asText().equals(value) : node.toString().equals(value);
  }

  private static ObjectNode page(JobState state, List<Job> jobs, long start, long size, long total) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    ArrayNode rows = node.putArray("jobs");
    jobs.forEach(job -> rows.add(JobViews.summary(job, state)));
    node.put("state", state.wireName());
    node.put("start", start);
    node.put("size", size);
    node.put("total", total);
    return node;
  }

  static JobState state(String name) {
    if (name == null || name.isEmpty()) {
      return JobState.WAITING;
    }
    try {
      JobState state = JobState.fromWireName(name);
      if (state != JobState.UNKNOWN) {
        return state;
      }
    } catch (InvalidOptionException e) {
      // refused below, with the list of states
    }
    throw ApiException.invalid("state", "unknown state \"" + name + "\"; one of waiting, prioritized, delayed, "
        + "active, waiting-children, completed, failed");
  }

  private static boolean order(String order) {
    if (order == null || order.equals("desc")) {
      return false;
    }
    if (order.equals("asc")) {
      return true;
    }
    throw ApiException.invalid("order", "order must be asc or desc, not \"" + order + "\"");
  }
}
