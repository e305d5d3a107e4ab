package io.bullpen.redis;

import io.bullpen.TimeLimits;
import io.bullpen.redis.QueueStateMachine.Add;
import io.bullpen.testkit.RedisExtension;
import java.time.Duration;
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
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * Random sequences of lease calls in any order (claims, acks, fails, abandons and extends by several owners, of
 * held, foreign, finished, missing and hostile ids) and of queue calls with hostile arguments, against a real
 * Redis and the queue model: each call settles exactly what it may or is refused with a Bullpen exception, and
 * after every step Redis matches the model ({@link RedisStateCheck}).
 */
@Tag("redis")
class HostileCallPropertyTest {
  private static final int MAX_STEPS = 16;

  private final List<QueueStateMachine> opened = new ArrayList<>();

  @Property(tries = 40, afterFailure = AfterFailureMode.SAMPLE_FIRST)
  void leaseAndQueueCallsInAnyOrderWithAnyArgumentsKeepRedisAsTheModelSays(
      @ForAll("chains") ActionChain<QueueStateMachine> chain) {
    chain.withInvariant("Redis matches the model", QueueStateMachine::checkInvariants).run();
  }

  @AfterTry
  void closeQueues() {
    opened.forEach(QueueStateMachine::close);
    opened.clear();
  }

  @Provide
  Arbitrary<ActionChain<QueueStateMachine>> chains() {
    return ActionChain.startWith(this::openQueue)
        .withAction(5, action(Combinators.combine(Arbitraries.integers().between(0, 3),
                Arbitraries.of(0L, 0L, 700L)).as((priority, delay) -> step("add priority=" + priority + " delay="
                + delay, s -> s.add(new Add(null, priority, delay, false, 2))))))
        .withAction(4, action(Combinators.combine(owners(), leases(), maxJobs())
            .as((owner, lease, max) -> step("claim", s -> LeaseSteps.claim(s, owner, lease, max)))))
        .withAction(3, action(Combinators.combine(owners(), picks(), Hostile.strings().list().ofSize(3))
            .as((owner, picks, hostile) -> step("ack", s -> LeaseSteps.ack(s, owner, LeaseSteps.ids(s, picks,
                hostile))))))
        .withAction(3, action(Combinators.combine(owners(), picks(), Hostile.strings().list().ofSize(3),
                retryDelays())
            .as((owner, picks, hostile, retry) -> step("fail", s -> LeaseSteps.fail(s, owner,
                LeaseSteps.ids(s, picks, hostile), retry)))))
        .withAction(2, action(Combinators.combine(owners(), picks(), Hostile.strings().list().ofSize(3))
            .as((owner, picks, hostile) -> step("abandon", s -> LeaseSteps.abandon(s, owner,
                LeaseSteps.ids(s, picks, hostile))))))
        .withAction(2, action(Combinators.combine(owners(), picks(), Hostile.strings().list().ofSize(3), leases())
            .as((owner, picks, hostile, lease) -> step("extend", s -> LeaseSteps.extend(s, owner,
                LeaseSteps.ids(s, picks, hostile), lease)))))
        .withAction(3, action(Combinators.combine(Hostile.strings(), Hostile.ints(), Hostile.longs(),
                Arbitraries.integers().between(0, 99))
            .as((id, number, millis, pick) -> step("hostile queue call",
                s -> QueueCallSteps.any(s, id, number, millis, pick)))))
        .withAction(1, action(Arbitraries.of(500L, 1000L).map(ms -> step("time +" + ms, s -> s.advance(ms)))))
        .withMaxTransformations(MAX_STEPS);
  }

  /** Two real owners, so that one holds what the other may not settle, and hostile tokens. */
  private static Arbitrary<String> owners() {
    return Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.of("owner-a", "owner-b")),
        Tuple.of(1, Hostile.strings()), Tuple.of(1, Arbitraries.of("0", "", "\uD800")));
  }

  /**
   * Mostly a lease that outlives the test, sometimes one that must be refused (a valid short one would expire in
   * real time while the model keeps the lock).
   */
  private static Arbitrary<Duration> leases() {
    return Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.just(Duration.ofMinutes(10))),
        Tuple.of(1, Hostile.durations().filter(HostileCallPropertyTest::outOfRange)));
  }

  private static boolean outOfRange(Duration d) {
    return d.isNegative() || d.compareTo(Duration.ofMillis(1)) < 0
        || d.compareTo(Duration.ofMillis(TimeLimits.MAX_EPOCH_MILLIS)) > 0;
  }

  private static Arbitrary<Integer> maxJobs() {
    return Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.integers().between(1, 3)), Tuple.of(1, Hostile.ints()));
  }

  private static Arbitrary<Duration> retryDelays() {
    return Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just((Duration) null)),
        Tuple.of(2, Arbitraries.of(Duration.ZERO, Duration.ofMillis(900))),
        Tuple.of(1, Hostile.durations().filter(d -> d.isNegative()
            || d.compareTo(Duration.ofMillis(TimeLimits.MAX_EPOCH_MILLIS)) > 0)));
  }

  private static Arbitrary<List<Integer>> picks() {
    return Arbitraries.integers().between(0, 99).list().ofMinSize(1).ofMaxSize(3);
  }

  private QueueStateMachine openQueue() {
    QueueStateMachine machine = new QueueStateMachine(RedisExtension.shared().uri());
    opened.add(machine);
    return machine;
  }

  private static Transformer<QueueStateMachine> step(String description, Consumer<QueueStateMachine> change) {
    return Transformer.mutate(description, change);
  }

  private static Action.Independent<QueueStateMachine> action(Arbitrary<Transformer<QueueStateMachine>> steps) {
    return () -> steps;
  }
}
