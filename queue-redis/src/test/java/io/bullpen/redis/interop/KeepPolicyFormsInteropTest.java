package io.bullpen.redis.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bullpen.Job;
import io.bullpen.JobOptions;
import io.bullpen.KeepJobs;
import io.bullpen.redis.internal.codec.Json;
import io.bullpen.redis.internal.codec.OptionsCodec;
import io.bullpen.redis.internal.keys.QueueKeys;
import io.bullpen.testkit.QueueNames;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every form of {@code removeOnComplete} / {@code removeOnFail} BullMQ takes (boolean, number, object): each is
 * stored in {@code opts} as given, and finishing jobs removes the same ones whoever added or processed them. Per
 * form, four queues get the same six jobs (three complete, three fail) with that form in both options: BullMQ
 * adds and works the first (the reference), BullMQ adds and Bullpen works the second, Bullpen adds and works the
 * third, Bullpen adds and BullMQ works the fourth.
 */
@RedisTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeepPolicyFormsInteropTest {
  /** A form as a Node user writes it, and the same policy for Bullpen. */
  private record Form(String json, KeepJobs java) {}

  private static final List<Form> FORMS = List.of(
      new Form("true", KeepJobs.none()),
      new Form("false", KeepJobs.all()),
      new Form("0", KeepJobs.newest(0)),
      new Form("2", KeepJobs.newest(2)),
      new Form("{\"count\":0}", new KeepJobs(0, -1, -1)),
      new Form("{\"count\":2}", new KeepJobs(2, -1, -1)),
      new Form("{}", new KeepJobs(-1, -1, -1)),
      new Form("{\"age\":0}", KeepJobs.maxAge(0, -1)),
      new Form("{\"age\":3600,\"count\":2,\"limit\":5}", KeepJobs.maxAge(3600, 2).withLimit(5)));
  private static final int JOBS_PER_QUEUE = 6;

  /** Who adds and who works one queue of a form. */
  private enum Run { NODE_NODE, NODE_JAVA, JAVA_JAVA, JAVA_NODE }

  private final String suffix = UUID.randomUUID().toString();
  private final Map<String, Map<String, String>> optsAfterAdd = new LinkedHashMap<>();
  private final Map<String, Map<String, String>> hashesAfterAdd = new LinkedHashMap<>();
  private final Map<String, String> javaReadsOfNodeOpts = new LinkedHashMap<>();
  private RedisInspector inspector;

  @BeforeAll
  void addAndWorkEveryForm(RunningRedis redis) {
    if (!NodeSide.available()) {
      return; // each test is then skipped by requireNode(), with the reason
    }
    inspector = new RedisInspector(redis);
    NodeSide node = new NodeSide(redis, "bull");

    NodeSteps adds = new NodeSteps();
    for (int f = 0; f < FORMS.size(); f++) {
      adds.add(keys(f, Run.NODE_NODE).queueName(), jobs(FORMS.get(f)));
      adds.add(keys(f, Run.NODE_JAVA).queueName(), jobs(FORMS.get(f)));
    }
    assertEquals(List.of(), node.run(adds).ofType("rejected"), "BullMQ refused an add");
    for (int f = 0; f < FORMS.size(); f++) {
      for (Run run : List.of(Run.JAVA_JAVA, Run.JAVA_NODE)) {
        try (JavaSide java = new JavaSide(redis, "bull", keys(f, run).queueName())) {
          java.addAll(jobs(FORMS.get(f)));
        }
      }
      try (JavaSide java = new JavaSide(redis, "bull", keys(f, Run.NODE_JAVA).queueName())) {
        Job read = java.queue().getJob("1").orElseThrow();
        javaReadsOfNodeOpts.put(FORMS.get(f).json(), OptionsCodec.toJson(read.options()).toString());
      }
      for (Run run : Run.values()) {
        QueueKeys keys = keys(f, run);
        hashesAfterAdd.put(keys.queueName(), inspector.jobHash(keys, "1"));
        Map<String, String> opts = new LinkedHashMap<>();
        for (int id = 1; id <= JOBS_PER_QUEUE; id++) {
          opts.put(Integer.toString(id), inspector.jobHash(keys, Integer.toString(id)).get("opts"));
        }
        optsAfterAdd.put(keys.queueName(), opts);
      }
    }

    NodeSteps work = new NodeSteps();
    for (int f = 0; f < FORMS.size(); f++) {
      work.work(keys(f, Run.NODE_NODE).queueName(), JOBS_PER_QUEUE);
      work.work(keys(f, Run.JAVA_NODE).queueName(), JOBS_PER_QUEUE);
    }
    assertEquals(List.of(), node.run(work).ofType("rejected"), "BullMQ's worker failed");
    for (int f = 0; f < FORMS.size(); f++) {
      for (Run run : List.of(Run.NODE_JAVA, Run.JAVA_JAVA)) {
        try (JavaSide java = new JavaSide(redis, "bull", keys(f, run).queueName())) {
          java.work(0, Duration.ofSeconds(20)); // until nothing is left to run: removed jobs are in no set
        }
      }
    }
  }

  @BeforeEach
  void requireNode() {
    NodeSide.assumeAvailable();
  }

  @AfterAll
  void close() {
    if (inspector != null) {
      inspector.close();
    }
  }

  @Test
  void bullmqStoresEveryFormAsGiven() {
    for (int f = 0; f < FORMS.size(); f++) {
      String form = FORMS.get(f).json();
      String opts = optsAfterAdd.get(keys(f, Run.NODE_NODE).queueName()).get("1");
      assertEquals(Json.tree("{\"removeOnComplete\":" + form + ",\"removeOnFail\":" + form + ",\"attempts\":0}",
          "opts"), Json.tree(opts, "opts"), "BullMQ's own opts for " + form);
    }
  }

  @Test
  void bullpenStoresEveryFormAsBullmqDoes() {
    List<String> diffs = new ArrayList<>();
    for (int f = 0; f < FORMS.size(); f++) {
      String form = FORMS.get(f).json();
      Map<String, String> node = hashesAfterAdd.get(keys(f, Run.NODE_NODE).queueName());
      for (Run run : List.of(Run.JAVA_JAVA, Run.JAVA_NODE)) {
        Map<String, String> java = hashesAfterAdd.get(keys(f, run).queueName());
        diffs.addAll(WireDiff.hashes(form + " " + run, node, java, Set.of("timestamp")));
      }
    }
    assertEquals(List.of(), diffs);
  }

  @Test
  void bullpenReadsEveryFormBullmqStoredBackIntoTheSameOpts() {
    List<String> diffs = new ArrayList<>();
    for (int f = 0; f < FORMS.size(); f++) {
      String form = FORMS.get(f).json();
      String stored = optsAfterAdd.get(keys(f, Run.NODE_JAVA).queueName()).get("1");
      if (!Json.tree(stored, "opts").equals(Json.tree(javaReadsOfNodeOpts.get(form), "opts"))) {
        diffs.add(form + ": BullMQ stored " + stored + ", Bullpen read " + javaReadsOfNodeOpts.get(form));
      }
    }
    assertEquals(List.of(), diffs);
  }

  @Test
  void finishingRemovesTheSameJobsWhoeverAddedOrWorkedThem() {
    List<String> diffs = new ArrayList<>();
    for (int f = 0; f < FORMS.size(); f++) {
      Kept reference = kept(keys(f, Run.NODE_NODE));
      for (Run run : List.of(Run.NODE_JAVA, Run.JAVA_JAVA, Run.JAVA_NODE)) {
        Kept other = kept(keys(f, run));
        if (!reference.equals(other)) {
          diffs.add(FORMS.get(f).json() + " " + run + ": BullMQ alone kept " + reference + ", this run " + other);
        }
      }
    }
    assertEquals(List.of(), diffs);
  }

  @Test
  void keptJobsHoldTheSameFieldsWhoeverAddedOrWorkedThem() {
    List<String> diffs = new ArrayList<>();
    Set<String> clocks = Set.of("timestamp", "processedOn", "finishedOn");
    for (int f = 0; f < FORMS.size(); f++) {
      QueueKeys reference = keys(f, Run.NODE_NODE);
      for (Run run : List.of(Run.NODE_JAVA, Run.JAVA_JAVA, Run.JAVA_NODE)) {
        for (String id : kept(reference).hashes().stream().filter(key -> key.matches("\\d+")).toList()) {
          diffs.addAll(WireDiff.hashes(FORMS.get(f).json() + " " + run + " job " + id,
              inspector.jobHash(reference, id), inspector.jobHash(keys(f, run), id), clocks));
        }
      }
    }
    assertEquals(List.of(), diffs);
  }

  /** What a queue kept after its jobs finished: the completed and failed ids and the job keys left. */
  private record Kept(Set<String> completed, Set<String> failed, SortedSet<String> hashes) {}

  private Kept kept(QueueKeys keys) {
    SortedSet<String> jobKeys = new TreeSet<>();
    for (String key : inspector.queueKeys(keys)) {
      if (key.matches("\\d+(:.*)?")) {
        jobKeys.add(key);
      }
    }
    return new Kept(inspector.zset(keys.completed()).keySet(), inspector.zset(keys.failed()).keySet(), jobKeys);
  }

  private QueueKeys keys(int form, Run run) {
    return new QueueKeys("bull",
        QueueNames.tagged("keep-" + form + "-" + run.name().toLowerCase(java.util.Locale.ROOT) + "-" + suffix));
  }

  /** Six jobs, every other one failing for good on its first attempt, with the form in both keep options. */
  private static List<AddSpec> jobs(Form form) {
    String nodeOpts = "{\"removeOnComplete\":" + form.json() + ",\"removeOnFail\":" + form.json() + "}";
    JobOptions javaOpts = JobOptions.builder().removeOnComplete(form.java()).removeOnFail(form.java()).build();
    List<AddSpec> jobs = new ArrayList<>();
    for (int i = 1; i <= JOBS_PER_QUEUE; i++) {
      boolean fails = i % 2 == 0;
      jobs.add(AddSpec.of((fails ? "fails-" : "completes-") + i, fails ? "{\"failAttempts\":1}" : "{}", nodeOpts,
          javaOpts));
    }
    return jobs;
  }
}
