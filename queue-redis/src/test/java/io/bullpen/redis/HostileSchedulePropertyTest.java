package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.FlowNode;
import io.bullpen.JobNode;
import io.bullpen.JobOptions;
import io.bullpen.JobSpec;
import io.bullpen.TimeLimits;
import io.bullpen.scheduler.Repeat;
import io.bullpen.testkit.QueueNames;
import io.bullpen.testkit.RedisExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tag;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.statistics.Statistics;

/**
 * Property tests of the entries the queue model does not cover, job schedulers (cron patterns, time zones,
 * intervals, dates, limits) and flows (hostile trees): each is refused with a Bullpen exception before Redis is
 * touched, and then Redis matches the model ({@link RedisStateCheck}), or it is stored whole and reads back as
 * given (a scheduler with a next run in range, a flow with every node), and removing it leaves nothing behind.
 */
@Tag("redis")
class HostileSchedulePropertyTest {
  private final List<QueueStateMachine> opened = new ArrayList<>();
  private final List<FlowProducer> producers = new ArrayList<>();

  /** A scheduler to upsert: its id, pattern or interval, zone, dates, limit, offset and template name. */
  record Schedule(String id, String pattern, Duration every, String tz, Instant start, Instant end, int limit,
      Duration offset, boolean immediately, String name) {}

  @Property(tries = 80, shrinking = ShrinkingMode.BOUNDED)
  void aHostileSchedulerIsUpsertedWithANextRunInRangeOrRefused(@ForAll("schedules") Schedule s) {
    QueueStateMachine machine = open();
    Repeat[] repeat = new Repeat[1];
    Hostile.Outcome built = Hostile.attempt("Repeat " + s, () -> {
      Repeat.Builder b = s.pattern() != null ? Repeat.cron(s.pattern()) : Repeat.every(s.every());
      if (s.tz() != null) {
        b.tz(s.tz());
      }
      if (s.start() != null) {
        b.startDate(s.start());
      }
      if (s.end() != null) {
        b.endDate(s.end());
      }
      if (s.limit() != 0) {
        b.limit(s.limit());
      }
      if (s.offset() != null) {
        b.offset(s.offset());
      }
      repeat[0] = b.immediately(s.immediately()).build();
    });
    Queue queue = machine.queue();
    Hostile.Outcome upserted = built.accepted() ? Hostile.attempt("upsert " + s,
        () -> queue.schedulers().upsert(s.id(), repeat[0], JobSpec.of(s.name(), Map.of("s", 1)))) : built;
    Statistics.label("outcome").collect(upserted.accepted() ? "upserted" : "refused: "
        + (upserted.refusal() instanceof io.bullpen.InvalidOptionException invalid ? invalid.field()
        : upserted.refusal().getClass().getSimpleName()));
    if (!upserted.accepted()) {
      machine.checkInvariants(); // nothing was written
      return;
    }
    JobScheduler stored = queue.schedulers().get(s.id()).orElseThrow();
    assertTrue(stored.next().toEpochMilli() <= TimeLimits.MAX_EPOCH_MILLIS, stored.toString());
    assertTrue(queue.getJob(stored.nextJobId()).isPresent(), "the next run is stored: " + stored);
    assertEquals(escaped(s.name()), escaped(stored.name()), "the name of the scheduler's jobs");
    assertTrue(queue.schedulers().remove(s.id()));
    // A run due at once is waiting already: it stays (and runs) when its scheduler goes; remove it too.
    queue.getJob(stored.nextJobId()).ifPresent(run -> assertTrue(queue.remove(run.id())));
    // The delay marker may stay: markers are hints, and a worker finding nothing due blocks on anyway.
    Set<String> left = new java.util.TreeSet<>(suffixesOf(machine));
    left.remove("marker");
    assertEquals(Set.of("events", "id", "meta"), left, "what the scheduler leaves behind");
  }

  /** A flow node to build: its name, data, options and children, each possibly hostile. */
  record Tree(String name, Object data, JobOptions options, List<Tree> children) {
    FlowNode build(String queue) {
      FlowNode.Builder b = FlowNode.builder(name, queue).data(data).options(options);
      children.forEach(child -> b.child(child.build(queue)));
      return b.build();
    }

    int size() {
      return 1 + children.stream().mapToInt(Tree::size).sum();
    }
  }

  @Property(tries = 40, shrinking = ShrinkingMode.BOUNDED)
  void aHostileFlowIsStoredWholeOrRefusedBeforeRedis(@ForAll("flows") Tree tree) {
    QueueStateMachine machine = open();
    FlowProducer flows = new FlowProducer(FlowProducerOptions.of(RedisConfig.of(RedisExtension.shared().uri())));
    producers.add(flows);
    JobNode[] stored = new JobNode[1];
    Map<String, String> before = snapshot(machine);
    Hostile.Outcome added = Hostile.attempt("flow " + tree,
        () -> stored[0] = flows.add(tree.build(machine.queue().name())));
    Statistics.label("outcome").collect(added.accepted() ? "stored" : "refused");
    if (!added.accepted()) {
      assertEquals(before, snapshot(machine), "a refused flow writes nothing");
      machine.checkInvariants();
      return;
    }
    JobNode read = flows.getFlow(machine.queue().name(), stored[0].job().id()).orElseThrow();
    assertEquals(shape(stored[0]), shape(read), "the flow reads back as stored");
    assertEquals(tree.size(), count(stored[0]), "every node is stored");
  }

  @AfterTry
  void closeAll() {
    producers.forEach(FlowProducer::close);
    producers.clear();
    opened.forEach(QueueStateMachine::close);
    opened.clear();
  }

  private QueueStateMachine open() {
    QueueStateMachine machine = new QueueStateMachine(RedisExtension.shared().uri(), QueueStateMachine.PREFIX,
        QueueNames.unique("q"), b -> b);
    opened.add(machine);
    return machine;
  }

  @Provide
  Arbitrary<Schedule> schedules() {
    Arbitrary<String> patterns = Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.of("0 */5 * * * *", "0 9 * * 1",
        "30 2 1 * *", "0 0 12 25 12 *")), Tuple.of(3, Arbitraries.of("* * * * *", "0 0 * * *",
        "*/5 * * * * *", "0 0 31 2 *", "*/0 * * * *", "60 * * * *", "0 0 0 1 1 * 2099", "@daily", "@yearly",
        "@weekends", "", " ", "L W #", "0 0 * * MON-FRI", "1-60/2 * * * *", "9999999999 * * * *", "?",
        "0 0 ? * * *", "\u0663 * * * *", "0 0 29 2 *", "0 0 L * *", "0 0 * * 5#3", "0 0 * * 8", "* * * * * * *")),
        Tuple.of(1, Hostile.strings()), Tuple.of(2, Arbitraries.just(null)));
    Arbitrary<String> zones = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of("Europe/Berlin", "UTC",
        "GMT+14", "+25:00", "Etc/GMT-14", "America/New_York", "Z", "Pacific/Kiritimati", "Asia/Kathmandu")),
        Tuple.of(1, Hostile.strings()), Tuple.of(3, Arbitraries.just(null)));
    Arbitrary<Duration> intervals = Arbitraries.frequencyOf(Tuple.of(1, Hostile.durations()),
        Tuple.of(2, Arbitraries.of(Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofDays(400))));
    Arbitrary<String> ids = Arbitraries.frequencyOf(Tuple.of(1, Hostile.strings()),
        Tuple.of(2, Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(8)));
    Arbitrary<Instant> dates = Arbitraries.frequencyOf(Tuple.of(1, Hostile.instants()),
        Tuple.of(1, Arbitraries.longs().between(1_700_000_000_000L, 2_100_000_000_000L).map(Instant::ofEpochMilli)),
        Tuple.of(4, Arbitraries.just(null)));
    Arbitrary<Duration> offsets = Arbitraries.frequencyOf(Tuple.of(1, Hostile.durations()),
        Tuple.of(3, Arbitraries.just(null)));
    Arbitrary<Integer> limits = Arbitraries.frequencyOf(Tuple.of(1, Hostile.ints()), Tuple.of(3,
        Arbitraries.just(0)));
    return Combinators.combine(List.of(ids.map(x -> (Object) x), patterns.map(x -> (Object) x),
        intervals.map(x -> (Object) x), zones.map(x -> (Object) x), dates.map(x -> (Object) x),
        dates.map(x -> (Object) x), limits.map(x -> (Object) x), offsets.map(x -> (Object) x),
        Arbitraries.of(false, false, false, true).map(x -> (Object) x), Hostile.strings().map(x -> (Object) x)))
        // A zone is tried with patterns, where it applies.
        .as(v -> new Schedule((String) v.get(0), (String) v.get(1), (Duration) v.get(2),
            v.get(1) == null ? null : (String) v.get(3),
            (Instant) v.get(4), (Instant) v.get(5), (Integer) v.get(6), (Duration) v.get(7), (Boolean) v.get(8),
            (String) v.get(9)));
  }

  /** Trees of up to three levels whose nodes have hostile names, ids, data and options. */
  @Provide
  Arbitrary<Tree> flows() {
    return node(2);
  }

  private Arbitrary<Tree> node(int depth) {
    Arbitrary<List<Tree>> children = depth == 0 ? Arbitraries.just(List.of())
        : Arbitraries.lazy(() -> node(depth - 1)).list().ofMaxSize(2);
    Arbitrary<JobOptions> options = Combinators.combine(
        Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just(null)), Tuple.of(1, Hostile.strings())),
        Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(0)), Tuple.of(1, Hostile.ints())),
        Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(0L)), Tuple.of(1, Hostile.longs())),
        Arbitraries.of(false, false, true))
        .as((id, priority, delay, fail) -> {
          JobOptions.Builder b = JobOptions.builder();
          try {
            if (id != null) {
              b.jobId(id + "-" + UUID.randomUUID()); // unique, so that no try meets an earlier one's job
            }
            b.priority(priority).delay(delay).failParentOnFailure(fail);
          } catch (io.bullpen.InvalidOptionException refused) {
            return JobOptions.defaults();
          }
          return b.build();
        });
    return Combinators.combine(Hostile.strings(), Hostile.data(), options, children).as(Tree::new);
  }

  private static String shape(JobNode node) {
    StringBuilder s = new StringBuilder(node.job().id()).append('(');
    node.children().stream().map(HostileSchedulePropertyTest::shape).sorted().forEach(c -> s.append(c).append(','));
    return s.append(')').toString();
  }

  private static int count(JobNode node) {
    return 1 + node.children().stream().mapToInt(HostileSchedulePropertyTest::count).sum();
  }

  /** {@code text} with every char outside printable ASCII as a Java escape, for messages. */
  private static String escaped(String text) {
    StringBuilder out = new StringBuilder();
    text.chars().forEach(c -> out.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c)
        : String.format("\\u%04x", c)));
    return out.toString();
  }

  private static Set<String> suffixesOf(QueueStateMachine machine) {
    return snapshot(machine).keySet();
  }

  /** The machine's queue keys (by suffix) with their types and sizes. */
  private static Map<String, String> snapshot(QueueStateMachine machine) {
    Map<String, String> keys = new TreeMap<>();
    try (RedisProbe probe = new RedisProbe(RedisExtension.shared())) {
      String prefix = machine.keys().keyPrefix();
      for (String key : probe.redis.keys(prefix.replace("[", "\\[").replace("*", "\\*").replace("?", "\\?") + "*")) {
        keys.put(key.substring(prefix.length()), probe.redis.type(key));
      }
    }
    return keys;
  }
}
