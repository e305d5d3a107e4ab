package io.bullpen.server.internal.api;

import static io.bullpen.server.internal.api.ApiContext.BASE;
import static io.bullpen.server.internal.api.ApiContext.job;
import static io.bullpen.server.internal.api.ApiContext.raw;
import static io.bullpen.server.internal.api.ApiContext.respond;
import static io.bullpen.server.internal.http.Requests.body;
import static io.bullpen.server.internal.http.Requests.bool;
import static io.bullpen.server.internal.http.Requests.integer;
import static io.bullpen.server.internal.http.Requests.onlyFields;
import static io.bullpen.server.internal.http.Requests.queryInt;
import static io.bullpen.server.internal.http.Requests.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bullpen.DependencyPage;
import io.bullpen.Job;
import io.bullpen.JobOptions;
import io.bullpen.JobSpec;
import io.bullpen.JobState;
import io.bullpen.JobStateException;
import io.bullpen.redis.Queue;
import io.bullpen.server.Scope;
import io.bullpen.server.internal.http.ApiException;
import io.bullpen.server.internal.http.Route;
import io.bullpen.server.internal.json.JobOptionsReader;
import io.bullpen.server.internal.json.JobViews;
import io.bullpen.server.internal.json.Json;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Adding, reading and acting on single jobs. */
public final class JobRoutes {
  static final int MAX_BULK = 10_000;
  private static final Set<String> JOB_FIELDS = Set.of("name", "data", "options");
  private static final String JOBS = BASE + "/queues/{queue}/jobs";
  private static final String JOB = JOBS + "/{id}";

  private final ApiContext api;
  private final JobSearch search;

  public JobRoutes(ApiContext api) {
    this.api = api;
    this.search = new JobSearch(api);
  }

  public List<Route> routes() {
    return List.of(
        new Route("POST", JOBS, Scope.PRODUCE, true, this::add),
        new Route("POST", JOBS + "/bulk", Scope.PRODUCE, true, this::addBulk),
        new Route("GET", JOBS, Scope.READ, false, search::list),
        new Route("GET", JOB, Scope.READ, false, this::get),
        new Route("GET", JOB + "/logs", Scope.READ, false, this::logs),
        new Route("DELETE", JOB, Scope.ADMIN, true, this::remove),
        new Route("POST", JOB + "/retry", Scope.ADMIN, true, this::retry),
        new Route("POST", JOB + "/promote", Scope.ADMIN, true, this::promote),
        new Route("POST", JOB + "/priority", Scope.ADMIN, true, this::changePriority),
        new Route("POST", JOB + "/cancel", Scope.ADMIN, true, this::cancel));
  }

  private void add(Context ctx) {
    Queue queue = api.queue(ctx);
    JobSpec spec = spec(body(ctx), "");
    // With a custom id the add is idempotent: the job that has the id already is returned (200), not a new one.
    boolean existed = spec.options() != null && spec.options().jobId().isPresent()
        && queue.getJob(spec.options().jobId().get()).isPresent();
    Job job = queue.add(spec.name(), spec.data(), spec.options());
    respond(ctx, existed ? 200 : 201, JobViews.withPayload(job, null));
  }

  private void addBulk(Context ctx) {
    Queue queue = api.queue(ctx);
    ObjectNode body = body(ctx);
    onlyFields(body, "", Set.of("jobs"));
    JsonNode jobs = body.get("jobs");
    if (jobs == null || !jobs.isArray() || jobs.isEmpty()) {
      throw ApiException.invalid("jobs", "jobs must be a non-empty array of {name, data, options}");
    }
    if (jobs.size() > MAX_BULK) {
      throw ApiException.invalid("jobs", "jobs has " + jobs.size() + " entries; at most " + MAX_BULK + " per call");
    }
    List<JobSpec> specs = new ArrayList<>();
    for (int i = 0; i < jobs.size(); i++) {
      specs.add(spec(jobs.get(i), "jobs[" + i + "]"));
    }
    ObjectNode out = Json.MAPPER.createObjectNode();
    ArrayNode added = out.putArray("jobs");
    queue.addBulk(specs).forEach(job -> added.add(JobViews.summary(job, null)));
    respond(ctx, 201, out);
  }

  private static JobSpec spec(JsonNode node, String where) {
    if (!node.isObject()) {
      throw ApiException.invalid(where, (where.isEmpty() ? "the body" : where) + " must be {name, data, options}");
    }
    onlyFields(node, where, JOB_FIELDS);
    String name = text(node, where, "name");
    JobOptions options = JobOptionsReader.read(node.get("options"), where.isEmpty() ? "options" : where + ".options");
    return JobSpec.of(name, raw(node.get("data")), options);
  }

  private void get(Context ctx) {
    Queue queue = api.queue(ctx);
    String id = ctx.pathParam("id");
    JsonNode view = api.cached(ctx, "job:" + id, () -> {
      Job job = job(queue, id);
      return JobViews.detail(job, queue.getJobState(id), queue.getJobLogs(id, 0, 999, true),
          job.getDependencies(DependencyPage.firstOfEach(100)));
    });
    respond(ctx, 200, view);
  }

  private void logs(Context ctx) {
    Queue queue = api.queue(ctx);
    String id = ctx.pathParam("id");
    long start = queryInt(ctx, "start", 0, 0, Integer.MAX_VALUE);
    long size = queryInt(ctx, "size", 100, 1, 1000);
    boolean asc = !"desc".equals(ctx.queryParam("order"));
    JsonNode view = api.cached(ctx, "logs:" + id + ":" + start + ":" + size + ":" + asc, () -> {
      job(queue, id);
      var logs = queue.getJobLogs(id, start, start + size - 1, asc);
      ObjectNode node = Json.MAPPER.createObjectNode();
      node.put("count", logs.count());
      ArrayNode lines = node.putArray("lines");
      logs.lines().forEach(lines::add);
      return node;
    });
    respond(ctx, 200, view);
  }

  private void remove(Context ctx) {
    Queue queue = api.queue(ctx);
    String id = ctx.pathParam("id");
    job(queue, id);
    if (!queue.remove(id)) {
      throw new ApiException(409, "job_locked", "id", "job \"" + id + "\" is held by a worker and cannot be removed");
    }
    ctx.status(204);
  }

  /** An action on the path's job: the job must exist; the reply is its state afterwards. */
  private interface JobAction {
    void run(Queue queue, Job job);
  }

  private void act(Context ctx, JobAction action) {
    Queue queue = api.queue(ctx);
    String id = ctx.pathParam("id");
    action.run(queue, job(queue, id));
    respond(ctx, 200, stateOf(queue, id));
  }

  private void retry(Context ctx) {
    act(ctx, (queue, job) -> {
      JobState state = queue.getJobState(job.id());
      if (state != JobState.FAILED && state != JobState.COMPLETED) {
        throw new JobStateException(queue.name(), job.id(), "is " + state.wireName()
            + "; only failed or completed jobs can be retried");
      }
      job.retry();
    });
  }

  private void promote(Context ctx) {
    act(ctx, (queue, job) -> queue.promote(job.id()));
  }

  private void changePriority(Context ctx) {
    ObjectNode body = body(ctx);
    onlyFields(body, "", Set.of("priority", "lifo"));
    int priority = (int) integer(body, "", "priority", 0, JobOptions.MAX_PRIORITY);
    boolean lifo = bool(body, "", "lifo", false);
    act(ctx, (queue, job) -> queue.changePriority(job.id(), priority, lifo));
  }

  private void cancel(Context ctx) {
    ObjectNode body = body(ctx);
    onlyFields(body, "", Set.of("reason", "retry"));
    String reason = text(body, "", "reason", "cancelled through the Bullpen server");
    boolean retry = bool(body, "", "retry", false);
    act(ctx, (queue, job) -> {
      if (!queue.cancelJob(job.id(), reason, retry)) {
        throw new JobStateException(queue.name(), job.id(), "has finished already; there is nothing to cancel");
      }
    });
  }

  private static ObjectNode stateOf(Queue queue, String id) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("id", id);
    node.put("state", queue.getJobState(id).wireName());
    return node;
  }
}
