package io.bullpen.redis;

import io.bullpen.KeepJobs;
import io.bullpen.redis.QueueStateMachine.Add;
import io.bullpen.redis.QueueStateMachine.FailMode;
import io.bullpen.testkit.RedisExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import net.jqwik.api.AfterFailureMode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.ActionChainArbitrary;
import net.jqwik.api.state.ChangeDetector;
import net.jqwik.api.state.Transformer;

/**
 * Model-based test of the queue's state machine (spec §1.2, §3, §4.1–§4.9): random sequences of adds (plain,
 * prioritized, delayed, lifo, custom and duplicate ids, bulk), worker fetches, completions and failures (final,
 * retried at once or after a backoff, with keep policies and fetch-next), job.retry, retryJobs, remove, promote,
 * promoteJobs, changePriority, changeDelay, drain, pause/resume, idle workers popping the marker, and time
 * passing, run against a real Redis and against {@link QueueModel}. After every step each job must be in exactly
 * one state, and Redis must match the model: order, scores, locks, counters, marker, events and the Queue's
 * reads (see {@link RedisStateCheck}).
 *
 * <p>Job picks are indices resolved when the step runs, so shrunk chains stay meaningful; the failure message
 * lists the steps as they really ran, with job ids.
 */
@Tag("redis")
class QueueStateMachinePropertyTest {
  private static final int MAX_STEPS = 30;

  private final List<QueueStateMachine> opened = new ArrayList<>();

  @Property(tries = 50, afterFailure = AfterFailureMode.SAMPLE_FIRST)
  void everyJobIsInExactlyOneStateAndWhereTheModelSaysAfterEveryStep(
      @ForAll("queueChains") ActionChain<QueueStateMachine> chain) {
    QueueStateMachine finalState = chain.withInvariant("Redis matches the model", QueueStateMachine::checkInvariants)
        .run();
    finalState.history().forEach(step -> Statistics.label("operations").collect(kind(step)));
  }

  @AfterTry
  void closeQueues() {
    opened.forEach(QueueStateMachine::close);
    opened.clear();
  }

  @Provide
  Arbitrary<ActionChain<QueueStateMachine>> queueChains() {
    ActionChainArbitrary<QueueStateMachine> chains = ActionChain.startWith(this::openQueue);
    return chains
        .withAction(8, action(adds().map(a -> step("add " + a, s -> s.add(a)))))
        .withAction(2, action(adds().list().ofMinSize(1).ofMaxSize(4)
            .map(list -> step("addBulk " + list, s -> s.addBulk(list)))))
        .withAction(4, action(Arbitraries.just(step("fetch", QueueStateMachine::fetch))))
        .withAction(4, action(completions()))
        .withAction(5, action(failures()))
        .withAction(1, action(picks().map(pick -> step("job.retry #" + pick, s -> s.retryJob(pick)))))
        .withAction(1, action(bulkRetries()))
        .withAction(2, action(picks().map(pick -> step("remove #" + pick, s -> s.remove(pick)))))
        .withAction(2, action(promotions()))
        .withAction(2, action(priorityChanges()))
        .withAction(1, action(delayChanges()))
        .withAction(1, action(Arbitraries.integers().between(1, 3)
            .map(count -> step("promoteJobs " + count, s -> s.promoteAll(count)))))
        .withAction(3, action(Arbitraries.just(step("pop marker", QueueStateMachine::popMarker))))
        .withAction(1, action(Arbitraries.of(false, true)
            .map(delayed -> step("drain delayed=" + delayed, s -> s.drain(delayed)))))
        .withAction(1, action(Arbitraries.just(step("pause", QueueStateMachine::pause))))
        .withAction(2, action(Arbitraries.just(step("resume", QueueStateMachine::resume))))
        .withAction(3, action(durations().map(ms -> step("time +" + ms, s -> s.advance(ms)))))
        .withMaxTransformations(MAX_STEPS)
        .improveShrinkingWith(ModelChangeDetector::new);
  }

  private static Arbitrary<Transformer<QueueStateMachine>> completions() {
    return Combinators.combine(picks(), keeps(), Arbitraries.of(false, true))
        .as((pick, keep, next) -> step("complete active#" + pick + " keep=" + keep + " fetchNext=" + next,
            s -> s.complete(pick, keep, next)));
  }

  private static Arbitrary<Transformer<QueueStateMachine>> failures() {
    Arbitrary<FailMode> modes = Arbitraries.of(FailMode.FINAL, FailMode.RETRY_NOW, FailMode.RETRY_LATER,
        FailMode.RETRY_LATER);
    return Combinators.combine(picks(), modes, durations(),
            keeps(), Arbitraries.of(false, true))
        .as((pick, mode, backoff, keep, next) -> step("fail active#" + pick + " " + mode + " backoff=" + backoff
            + " keep=" + keep + " fetchNext=" + next, s -> s.fail(pick, mode, backoff, keep, next)));
  }

  private static Arbitrary<Transformer<QueueStateMachine>> bulkRetries() {
    return Combinators.combine(Arbitraries.of(true, false), Arbitraries.integers().between(1, 3),
            Arbitraries.of(0L, 500L))
        .as((failed, count, before) -> step("retryJobs failed=" + failed + " count=" + count + " upTo=now-" + before,
            s -> s.retryJobs(failed, count, before)));
  }

  private static Arbitrary<Transformer<QueueStateMachine>> priorityChanges() {
    return Combinators.combine(picks(), Arbitraries.integers().between(0, 3), Arbitraries.of(false, true))
        .as((pick, priority, lifo) -> step("changePriority #" + pick + " to " + priority + (lifo ? " lifo" : ""),
            s -> s.changePriority(pick, priority, lifo)));
  }

  /** Mostly a delayed job; sometimes any job ever stored, to cover the refusals. */
  private static Arbitrary<Transformer<QueueStateMachine>> delayChanges() {
    Arbitrary<Long> delays = Arbitraries.oneOf(Arbitraries.just(0L), durations());
    return Combinators.combine(picks(), delays, Arbitraries.of(true, true, false))
        .as((pick, delay, delayedOnly) -> step("changeDelay #" + pick + " to " + delay
            + (delayedOnly ? " (delayed)" : " (any)"), s -> s.changeDelay(pick, delay, delayedOnly)));
  }

  /** Mostly a delayed job; sometimes any job ever stored, to cover the refusals. */
  private static Arbitrary<Transformer<QueueStateMachine>> promotions() {
    return Combinators.combine(picks(), Arbitraries.of(true, true, false))
        .as((pick, delayedOnly) -> step("promote #" + pick + (delayedOnly ? " (delayed)" : " (any)"),
            s -> s.promote(pick, delayedOnly)));
  }

  /** A step's operation and outcome without ids and numbers, to show what the tries covered. */
  private static String kind(String step) {
    String operation = step.replaceAll("[ :].*", "");
    String outcome = step.contains("fetchNext -> none") ? " +fetchNext(none)"
        : step.contains("fetchNext ->") ? " +fetchNext(job)"
        : step.contains("for good") ? " for good"
        : step.contains("retry now") ? " retry now"
        : step.contains("retry in") ? " retry later"
        : step.contains("refused") ? " refused"
        : step.startsWith("fetch -> none") && step.endsWith("(paused)") ? " (paused)"
        : step.matches(".*-> (none|not found|not delayed|false|0)( .*)?$") || step.matches(".*: (nothing|no jobs).*")
            ? " (no effect)"
        : "";
    return operation + outcome;
  }

  /** Lets shrinking drop steps that changed nothing (a fetch from an empty queue, a refused promote). */
  private static final class ModelChangeDetector implements ChangeDetector<QueueStateMachine> {
    private String before;

    @Override
    public void before(QueueStateMachine state) {
      before = state.fingerprint();
    }

    @Override
    public boolean hasChanged(QueueStateMachine state) {
      return !before.equals(state.fingerprint());
    }
  }

  private QueueStateMachine openQueue() {
    QueueStateMachine machine = new QueueStateMachine(RedisExtension.shared().uri());
    opened.add(machine);
    return machine;
  }

  /** Plain, prioritized, delayed, lifo and custom-id jobs; custom ids come from a pool of three to collide. */
  private static Arbitrary<Add> adds() {
    Arbitrary<String> customIds = Arbitraries.of("a", "b", "c").injectNull(0.7);
    Arbitrary<Integer> priorities = Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.just(0)), Tuple.of(2, Arbitraries.integers().between(1, 3)));
    Arbitrary<Long> delays = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(0L)), Tuple.of(2, durations()));
    return Combinators.combine(customIds, priorities, delays, Arbitraries.of(false, false, true),
        Arbitraries.integers().between(0, 3)).as(Add::new);
  }

  /**
   * Delays, backoffs and clock moves in ms: often round values, so jobs fall due in the same millisecond (the
   * delayed score's sequence part) and due times coincide with the clock.
   */
  private static Arbitrary<Long> durations() {
    return Arbitraries.oneOf(Arbitraries.of(100L, 500L, 1000L), Arbitraries.longs().between(1, 1500));
  }

  private static Arbitrary<KeepJobs> keeps() {
    return Arbitraries.of(KeepJobs.all(), KeepJobs.all(), KeepJobs.none(), KeepJobs.newest(1), KeepJobs.newest(2),
        KeepJobs.maxAge(1, -1), KeepJobs.maxAge(1, -1).withLimit(1));
  }

  private static Arbitrary<Integer> picks() {
    return Arbitraries.integers().between(0, 99);
  }

  private static Transformer<QueueStateMachine> step(String description, Consumer<QueueStateMachine> change) {
    return Transformer.mutate(description, change);
  }

  /**
   * An action without a precondition: jqwik can only drop steps whose generation did not look at the state, so
   * every step is generated blind and does nothing when it does not apply (e.g. a promote with nothing
   * delayed).
   */
  private static Action.Independent<QueueStateMachine> action(Arbitrary<Transformer<QueueStateMachine>> transformers) {
    return () -> transformers;
  }
}
