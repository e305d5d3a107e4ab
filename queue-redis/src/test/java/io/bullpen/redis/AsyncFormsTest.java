package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.BullpenException;
import io.bullpen.FlowNode;
import io.bullpen.GroupLimits;
import io.bullpen.InvalidOptionException;
import io.bullpen.Job;
import io.bullpen.JobNode;
import io.bullpen.JobNotFoundException;
import io.bullpen.JobOptions;
import io.bullpen.JobSpec;
import io.bullpen.JobState;
import io.bullpen.JobStateException;
import io.bullpen.LeaseFailure;
import io.bullpen.LeaseResult;
import io.bullpen.Limiter;
import io.bullpen.event.QueueListener;
import io.bullpen.scheduler.Repeat;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The {@code …Async} forms of Queue, its views, FlowProducer and Job against Redis. */
@RedisTest
class AsyncFormsTest {
  private static final Duration LEASE = Duration.ofSeconds(30);

  private WorkerFixture f;
  private final List<String> heard = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp(RunningRedis server) {
    f = new WorkerFixture(server);
    f.queue.addListener(new QueueListener() {
      @Override
      public void onWaiting(Job job) {
        heard.add("waiting " + job.id());
      }

      @Override
      public void onPaused() {
        heard.add("paused");
      }

      @Override
      public void onResumed() {
        heard.add("resumed");
      }

      @Override
      public void onRemoved(String jobId) {
        heard.add("removed " + jobId);
      }

      @Override
      public void onCleaned(List<String> jobIds, JobState state) {
        heard.add("cleaned " + jobIds + " " + state);
      }

      @Override
      public void onError(Throwable error) {
        heard.add("error " + error.getClass().getSimpleName());
      }
    });
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private static <T> T get(CompletableFuture<T> future) throws Exception {
    return future.get(10, TimeUnit.SECONDS);
  }

  /** The exception a future failed with, which must be of {@code type}. */
  private static <E extends Throwable> E failure(Class<E> type, CompletableFuture<?> future) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
    return assertInstanceOf(type, e.getCause());
  }

  @Test
  void queueAsyncFormsWorkAndTellListenersBeforeTheirFutureCompletes() throws Exception {
    Job job = get(f.queue.addAsync("a", Map.of("v", 1)));
    assertEquals(List.of("waiting " + job.id()), heard);
    List<Job> bulk = get(f.queue.addBulkAsync(List.of(JobSpec.of("b", null), JobSpec.of("c", null))));
    assertEquals(3, heard.size());

    assertEquals(Map.of("v", 1), get(f.queue.getJobAsync(job.id())).orElseThrow().data(Map.class));
    assertEquals(Optional.empty(), get(f.queue.getJobAsync("nope")));
    assertEquals(3L, get(f.queue.getJobCountsAsync(JobState.WAITING)).get(JobState.WAITING));
    assertEquals(3, get(f.queue.getJobsAsync(Set.of(JobState.WAITING), 0, -1, true)).size());
    assertEquals(JobState.WAITING, get(f.queue.getJobStateAsync(job.id())));

    get(f.queue.pauseAsync());
    assertTrue(get(f.queue.isPausedAsync()));
    get(f.queue.resumeAsync());
    assertFalse(get(f.queue.isPausedAsync()));
    assertEquals(List.of("paused", "resumed"), heard.subList(3, 5));

    get(f.queue.updateDataAsync(job.id(), Map.of("v", 2)));
    assertEquals("{\"v\":2}", f.hash(job.id()).get("data"));
    get(f.queue.changePriorityAsync(job.id(), 4, false));
    assertEquals(JobState.PRIORITIZED, get(f.queue.getJobStateAsync(job.id())));
    assertTrue(get(f.queue.removeAsync(bulk.get(0).id())));
    assertEquals("removed " + bulk.get(0).id(), heard.get(heard.size() - 1));
    assertEquals(List.of(bulk.get(1).id()), get(f.queue.cleanAsync(Duration.ZERO, 0, JobState.WAITING)));
    assertTrue(heard.get(heard.size() - 1).startsWith("cleaned"));
    get(f.queue.obliterateAsync(true));
    assertEquals(0, f.redis.exists(f.key("meta"), f.key(job.id())));
  }

  @Test
  void jobAsyncFormsWorkAndFailWithTheBlockingFormsExceptions() throws Exception {
    Job job = f.queue.add("a", null, JobOptions.builder().delay(60_000).build());
    assertEquals(JobState.DELAYED, get(job.stateAsync()));
    get(job.updateProgressAsync(Map.of("pct", 50)));
    assertEquals(1L, get(job.logAsync("first line")));
    assertEquals(List.of("first line"), f.queue.getJobLogsAsync(job.id()).get().lines());
    get(job.promoteAsync());
    assertEquals(JobState.WAITING, get(job.stateAsync()));
    assertEquals(0L, get(job.getDependenciesCountAsync()).processed());
    assertTrue(get(job.removeAsync()));

    failure(JobNotFoundException.class, job.updateProgressAsync(1));
    assertThrows(JobNotFoundException.class, () -> job.updateProgress(1));
    failure(JobNotFoundException.class, f.queue.promoteAsync(job.id()));
    assertThrows(JobNotFoundException.class, () -> f.queue.promote(job.id()));
    assertFalse(heard.stream().anyMatch(h -> h.startsWith("error")), "job errors are not Redis failures: " + heard);
  }

  @Test
  void processingJobAsyncFormsReachRedisFromAProcessor() throws Exception {
    Job job = f.add("work", null);
    f.worker(running -> {
      running.updateProgressAsync(75).get(10, TimeUnit.SECONDS);
      return running.logAsync("from the processor").get(10, TimeUnit.SECONDS);
    });
    WorkerFixture.await(() -> f.queue.getJobState(job.id()) == JobState.COMPLETED, "job completed");
    assertEquals("75", f.hash(job.id()).get("progress"));
    assertEquals(List.of("from the processor"), f.queue.getJobLogs(job.id()).lines());
  }

  @Test
  void leaseAsyncForms() throws Exception {
    for (int i = 0; i < 4; i++) {
      f.add("job", Map.of("i", i), JobOptions.builder().attempts(2).build());
    }
    Leases leases = f.queue.leases();
    List<Job> claimed = get(leases.claimAsync("relay", LEASE, 4));
    assertEquals(List.of("1", "2", "3", "4"), claimed.stream().map(Job::id).toList());
    assertTrue(get(leases.extendAsync("relay", List.of("1"), Duration.ofMinutes(2))).allDone());
    assertTrue(get(leases.ackAsync("relay", Map.of("1", "done"))).allDone());
    assertTrue(get(leases.ackAsync("relay", List.of("2"))).allDone());
    assertTrue(get(leases.failAsync("relay", List.of(LeaseFailure.of("3", "boom")))).allDone());
    LeaseResult abandoned = get(leases.abandonAsync("relay", List.of("4", "missing")));
    assertEquals(List.of("4"), abandoned.done());
    assertEquals(LeaseResult.Refusal.NOT_FOUND, abandoned.refused().get("missing"));
    assertEquals("\"done\"", f.hash("1").get("returnvalue"));
    assertEquals(JobState.WAITING, f.queue.getJobState("3"), "retried: one attempt left");
    assertEquals(JobState.WAITING, f.queue.getJobState("4"));
  }

  @Test
  void schedulerAsyncForms() throws Exception {
    JobSchedulers schedulers = f.queue.schedulers();
    Job first = get(schedulers.upsertAsync("tick", Repeat.every(Duration.ofMinutes(1)).build(),
        JobSpec.of("tock", null)));
    assertTrue(first.id().startsWith("repeat:tick:"));
    assertEquals("waiting " + first.id(), heard.get(0));
    assertEquals("tock", get(schedulers.getAsync("tick")).orElseThrow().name());
    assertEquals(1, get(schedulers.listAsync()).size());
    assertEquals(1, get(schedulers.listAsync(0, 0, false)).size());
    assertEquals(1L, get(schedulers.countAsync()));
    Job extra = get(schedulers.triggerAsync("tick")).orElseThrow();
    assertFalse(extra.id().startsWith("repeat:"));

    failure(JobStateException.class, schedulers.cancelDelayedAsync(first.id()));
    assertThrows(JobStateException.class, () -> schedulers.cancelDelayed(first.id()));
    assertTrue(get(schedulers.removeAsync("tick")));
    assertEquals(Optional.empty(), get(schedulers.getAsync("tick")));

    Job timer = get(schedulers.scheduleAtAsync("remind", null, Instant.now().plusSeconds(3600), null));
    assertEquals(JobState.DELAYED, f.queue.getJobState(timer.id()));
    assertTrue(get(schedulers.cancelDelayedAsync(timer.id())));
    assertEquals("removed " + timer.id(), heard.get(heard.size() - 1));
    assertFalse(get(schedulers.cancelDelayedAsync(timer.id())));
  }

  @Test
  void limitAsyncForms() throws Exception {
    Limits limits = f.queue.limits();
    get(limits.setGlobalConcurrencyAsync(3));
    assertEquals(OptionalInt.of(3), get(limits.getGlobalConcurrencyAsync()));
    get(limits.removeGlobalConcurrencyAsync());
    assertEquals(OptionalInt.empty(), get(limits.getGlobalConcurrencyAsync()));
    get(limits.setGlobalRateLimitAsync(10, 1_000));
    assertEquals(Optional.of(new Limiter(10, 1_000)), get(limits.getGlobalRateLimitAsync()));
    get(limits.removeGlobalRateLimitAsync());
    assertEquals(Optional.empty(), get(limits.getGlobalRateLimitAsync()));
    get(limits.rateLimitAsync(60_000));
    assertTrue(get(limits.getRateLimitTtlAsync()) > 50_000);

    get(limits.setGroupLimitsAsync("g", GroupLimits.rate(5, 1_000)));
    assertEquals(Optional.of(GroupLimits.rate(5, 1_000)), get(limits.getGroupLimitsAsync("g")));
    get(limits.removeGroupLimitsAsync("g"));
    assertEquals(Optional.empty(), get(limits.getGroupLimitsAsync("g")));
    get(limits.setDefaultGroupLimitsAsync(GroupLimits.rate(2, 1_000)));
    assertTrue(get(limits.getDefaultGroupLimitsAsync()).isPresent());
    get(limits.removeDefaultGroupLimitsAsync());
    assertEquals(0L, get(limits.getGroupWaitingCountAsync("g")));

    Job owner = f.add("sync", null, JobOptions.builder().deduplication(io.bullpen.Deduplication.of("k")).build());
    assertEquals(Optional.of(owner.id()), get(limits.getDeduplicationJobIdAsync("k")));
    assertTrue(get(limits.removeDeduplicationKeyAsync("k")));
    assertFalse(get(limits.removeDeduplicationKeyAsync("k")));
  }

  @Test
  void deadLetterAsyncForms() throws Exception {
    DeadLetters deadLetters = f.queue.deadLetters();
    // Whether a dead-letter queue is set is known only from Redis, so this check fails the future.
    assertEquals("deadLetterQueue", failure(InvalidOptionException.class, deadLetters.replayAsync()).field());
    get(deadLetters.setQueueAsync("dead-" + f.queueName));
    assertEquals(Optional.of("dead-" + f.queueName), get(deadLetters.getQueueAsync()));
    assertEquals(0L, get(deadLetters.replayAsync(10)));
    get(deadLetters.removeQueueAsync());
    assertEquals(Optional.empty(), get(deadLetters.getQueueAsync()));
  }

  @Test
  void flowProducerAsyncForms(RunningRedis server) throws Exception {
    try (FlowProducer flows = new FlowProducer(FlowProducerOptions.of(RedisConfig.of(server.uri())))) {
      JobNode tree = get(flows.addAsync(FlowNode.builder("parent", f.queueName)
          .child(FlowNode.of("child", f.queueName, null)).build()));
      assertEquals(JobState.WAITING_CHILDREN, tree.state());
      assertEquals(2, get(flows.getFlowAsync(f.queueName, tree.job().id())).orElseThrow().flatten().size());
      assertEquals(1, get(flows.getFlowAsync(f.queueName, tree.job().id(), 1, 1)).orElseThrow().flatten().size());
      assertEquals(2, get(flows.addBulkAsync(List.of(FlowNode.of("a", f.queueName, null),
          FlowNode.of("b", f.queueName, null)))).size());

      FlowNode orphan = FlowNode.builder("orphan", f.queueName)
          .options(JobOptions.builder().parent(f.queue.qualifiedName(), "missing").build()).build();
      failure(JobNotFoundException.class, flows.addAsync(orphan));
      assertThrows(JobNotFoundException.class, () -> flows.add(orphan));
    }
  }

  @Test
  void badArgumentsThrowAtOnceFromTheAsyncForms(RunningRedis server) throws Exception {
    Job job = f.add("a", null);
    List<String> keysBefore = f.redis.keys("bull:" + f.queueName + ":*");
    try (FlowProducer flows = new FlowProducer(FlowProducerOptions.of(RedisConfig.of(server.uri())))) {
      List<Executable> calls = List.of(
          () -> f.queue.addAsync(null, null),
          () -> f.queue.addBulkAsync(null),
          () -> f.queue.getJobAsync(null),
          () -> f.queue.getJobsAsync(Set.of(), -1, 0, true),
          () -> f.queue.cleanAsync(Duration.ofSeconds(-1), 0, JobState.FAILED),
          () -> f.queue.changePriorityAsync("1", -1, false),
          () -> f.queue.retryJobsAsync(JobState.ACTIVE, 1, 0),
          () -> job.updateProgressAsync(null),
          () -> f.queue.leases().claimAsync("0", LEASE, 1),
          () -> f.queue.leases().claimAsync("me", null, 1),
          () -> f.queue.leases().ackAsync("me", (Map<String, ?>) null),
          () -> f.queue.leases().extendAsync("me", List.of("1"), Duration.ZERO),
          () -> f.queue.schedulers().upsertAsync("a:b", Repeat.every(Duration.ofMinutes(1)).build(), null),
          () -> f.queue.schedulers().scheduleAtAsync("n", null, null, null),
          () -> f.queue.schedulers().cancelDelayedAsync(""),
          () -> f.queue.limits().setGlobalConcurrencyAsync(0),
          () -> f.queue.limits().getGroupLimitsAsync(null),
          () -> f.queue.limits().removeDeduplicationKeyAsync(""),
          () -> f.queue.deadLetters().setQueueAsync(f.queueName),
          () -> f.queue.deadLetters().replayAsync(0),
          () -> flows.addAsync(null),
          () -> flows.getFlowAsync(f.queueName, "1", 0, 1));
      for (int i = 0; i < calls.size(); i++) {
        assertThrows(InvalidOptionException.class, calls.get(i), "call " + i + " did not throw at once");
      }
    }
    assertEquals(Set.copyOf(keysBefore), Set.copyOf(f.redis.keys("bull:" + f.queueName + ":*")), "nothing was sent");
  }

  @Test
  void aCommandRedisRefusesFailsTheFutureWithTheBlockingFormsExceptionAndTellsOnErrorOnce() {
    f.redis.set(f.key("meta"), "not a hash");
    BullpenException async = failure(BullpenException.class, f.queue.limits().getGlobalConcurrencyAsync());
    assertTrue(async.getMessage().contains("WRONGTYPE"), async.getMessage());
    assertEquals(List.of("error BullpenException"), heard);
    BullpenException blocking = assertThrows(BullpenException.class, () -> f.queue.limits().getGlobalConcurrency());
    assertEquals(async.getClass(), blocking.getClass());
    failure(BullpenException.class, f.queue.isPausedAsync());
    failure(BullpenException.class, f.queue.leases().claimAsync("me", LEASE, 1));
    failure(BullpenException.class, f.queue.pauseAsync());
    assertEquals(5, heard.size(), "one onError per failed call: " + heard);
    f.redis.del(f.key("meta"));
  }
}
