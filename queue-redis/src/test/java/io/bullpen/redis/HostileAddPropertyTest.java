package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.bullpen.InvalidOptionException;
import io.bullpen.Job;
import io.bullpen.JobOptions;
import io.bullpen.JobSpec;
import io.bullpen.redis.internal.codec.Json;
import io.bullpen.testkit.QueueNames;
import io.bullpen.testkit.RedisExtension;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.statistics.Statistics;

/**
 * Property tests of the adding entries with random and hostile input (ids, names, data of every shape and size,
 * every option at and beyond its range, queue names and prefixes): each add is stored exactly as given and reads
 * back the same, or is refused with a Bullpen exception before Redis is touched, and after each one Redis matches
 * the queue model ({@link RedisStateCheck}).
 */
@Tag("redis")
class HostileAddPropertyTest {
  /** Small, so that the hostile large strings cross it and bulk adds cross the chunk size. */
  private static final int MAX_PAYLOAD = 8_192;
  private static final int CHUNK = 2;

  private final List<QueueStateMachine> opened = new ArrayList<>();

  /** One job to add: its name, data and the options to try, each possibly hostile. */
  record Attempt(String name, Object data, String jobId, int priority, long delay, boolean lifo, int attempts,
      boolean withTimestamp, long timestamp) {
    /** The options, or the refusal of building them. */
    JobOptions options() {
      JobOptions.Builder b = JobOptions.builder().priority(priority).delay(delay).lifo(lifo).attempts(attempts);
      if (jobId != null) {
        b.jobId(jobId);
      }
      if (withTimestamp) {
        b.timestamp(timestamp);
      }
      return b.build();
    }

    @Override
    public String toString() {
      return "{name=" + shorten(name) + " data=" + shorten(String.valueOf(data)) + " jobId=" + shorten(jobId)
          + " priority=" + priority + " delay=" + delay + " lifo=" + lifo + " attempts=" + attempts
          + (withTimestamp ? " timestamp=" + timestamp : "") + "}";
    }
  }

  @Property(tries = 80, shrinking = ShrinkingMode.BOUNDED)
  void aHostileAddIsStoredAsGivenOrRefusedAndRedisMatchesTheModel(@ForAll("attempts") Attempt attempt) {
    QueueStateMachine machine = open(QueueStateMachine.PREFIX, QueueNames.unique("q"));
    add(machine, List.of(attempt), false);
    machine.checkInvariants();
  }

  @Property(tries = 40, shrinking = ShrinkingMode.BOUNDED)
  void aHostileBulkAddIsStoredInOrderOrRefusedWhole(@ForAll("bulks") List<Attempt> attempts) {
    QueueStateMachine machine = open(QueueStateMachine.PREFIX, QueueNames.unique("q"));
    add(machine, attempts, true);
    machine.checkInvariants();
  }

  @Property(tries = 40, shrinking = ShrinkingMode.BOUNDED)
  void aHostileQueueNameOrPrefixWorksUnderItsOwnKeysOrIsRefused(@ForAll("names") String name,
      @ForAll("names") String prefix) {
    QueueStateMachine[] machine = new QueueStateMachine[1];
    Hostile.Outcome opening = Hostile.attempt("open queue " + prefix + ":" + name,
        () -> machine[0] = open(prefix, name));
    if (!opening.accepted()) {
      assertEquals(InvalidOptionException.class, opening.refusal().getClass(), opening.refusal().getMessage());
      Statistics.label("outcome").collect("queue refused: " + field(opening.refusal()));
      return;
    }
    add(machine[0], List.of(new Attempt("job", null, null, 0, 0, false, 0, false, 0)), false);
    machine[0].checkInvariants();
  }

  /** Adds {@code attempts} (one add, or one bulk), updating the model only when Redis was written. */
  private static void add(QueueStateMachine machine, List<Attempt> attempts, boolean bulk) {
    List<JobSpec> specs = new ArrayList<>();
    Hostile.Outcome built = Hostile.attempt("build options", () -> {
      for (Attempt a : attempts) {
        specs.add(JobSpec.of(a.name(), a.data(), a.options()));
      }
    });
    if (!built.accepted()) {
      machine.log().add("options refused: " + built.refusal().getMessage());
      Statistics.label("outcome").collect("options refused: " + field(built.refusal()));
      return;
    }
    List<Job> added = new ArrayList<>();
    Hostile.Outcome outcome = Hostile.attempt("add " + attempts, () -> {
      if (bulk) {
        added.addAll(machine.queue().addBulk(specs));
      } else {
        added.add(machine.queue().add(specs.get(0).name(), specs.get(0).data(), specs.get(0).options()));
      }
    });
    if (!outcome.accepted()) {
      // Everything a bulk add can refuse is refused before the first chunk is sent: nothing was written.
      machine.log().add("add refused: " + outcome.refusal().getMessage());
      Statistics.label("outcome").collect("add refused: " + field(outcome.refusal()));
      return;
    }
    Statistics.label("outcome").collect("stored");
    Map<String, JobSpec> storedBy = new LinkedHashMap<>();
    for (int i = 0; i < specs.size(); i++) {
      JobSpec spec = specs.get(i);
      JobOptions o = spec.options();
      boolean isNew = o.jobId().isEmpty() || !machine.model().jobs.containsKey(o.jobId().get());
      String expected = machine.model().add(spec.name(), o.jobId().orElse(null), o.priority(), o.delay(), o.lifo(),
          o.attempts());
      machine.log().add("add " + attempts.get(i) + " -> " + added.get(i).id());
      machine.log().expect("id of the added job", expected, added.get(i).id());
      if (isNew) {
        storedBy.put(expected, spec);
      }
    }
    // Each job reads back with the name and data of the add that stored it (a duplicate id keeps the first).
    storedBy.forEach((id, spec) -> {
      Job read = machine.queue().getJob(id).orElseThrow();
      machine.log().expect("name of job " + id + " read back", spec.name(), read.name());
      machine.log().expect("data of job " + id + " read back", tree(spec.data()), Json.tree(read.dataJson(), "data"));
    });
  }

  private static String field(RuntimeException refusal) {
    return refusal instanceof InvalidOptionException invalid ? invalid.field().replaceAll("\\[\\d+]", "[i]")
        : refusal.getClass().getSimpleName();
  }

  /** What Jackson makes of {@code data} (null is stored as {@code {}}). */
  private static JsonNode tree(Object data) {
    return Json.tree(Json.dataToJson(data, "data"), "data");
  }

  private QueueStateMachine open(String prefix, String name) {
    QueueStateMachine machine = new QueueStateMachine(RedisExtension.shared().uri(), prefix, name,
        b -> b.bulkChunkSize(CHUNK).redis(RedisConfig.builder().uri(RedisExtension.shared().uri())
            .maxPayloadBytes(MAX_PAYLOAD).build()));
    opened.add(machine);
    return machine;
  }

  @AfterTry
  void closeQueues() {
    opened.forEach(QueueStateMachine::close);
    opened.clear();
  }

  @Provide
  Arbitrary<Attempt> attempts() {
    // Mostly valid numbers, so that most tries reach the add with their hostile ids, names and data.
    Arbitrary<String> ids = Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just(null)), Tuple.of(4, Hostile.strings()),
        Tuple.of(1, Arbitraries.of("a", "b", "a:b:c")));
    Arbitrary<Integer> priorities = Arbitraries.frequencyOf(Tuple.of(1, Hostile.ints()),
        Tuple.of(4, Arbitraries.integers().between(0, 3)));
    Arbitrary<Long> delays = Arbitraries.frequencyOf(Tuple.of(1, Hostile.longs()),
        Tuple.of(4, Arbitraries.of(0L, 0L, 1000L)));
    Arbitrary<Integer> tries = Arbitraries.frequencyOf(Tuple.of(1, Hostile.ints()),
        Tuple.of(4, Arbitraries.integers().between(0, 3)));
    // The model counts from the machine's clock: a given timestamp is tried only where it is refused or equal.
    Arbitrary<Long> timestamps = Arbitraries.oneOf(Hostile.longs().filter(t -> t < 0 || t > (1L << 41) - 1),
        Arbitraries.just(1_750_000_000_000L));
    return Combinators.combine(List.of(Hostile.strings().injectNull(0.05).map(s -> (Object) s),
        Hostile.data(), ids.map(s -> (Object) s), priorities.map(p -> (Object) p), delays.map(d -> (Object) d),
        Arbitraries.of(false, true).map(b -> (Object) b), tries.map(t -> (Object) t),
        Arbitraries.of(false, false, true).map(b -> (Object) b), timestamps.map(t -> (Object) t)))
        .as(v -> new Attempt((String) v.get(0), v.get(1), (String) v.get(2), (Integer) v.get(3), (Long) v.get(4),
            (Boolean) v.get(5), (Integer) v.get(6), (Boolean) v.get(7), (Long) v.get(8)));
  }

  @Provide
  Arbitrary<List<Attempt>> bulks() {
    return attempts().list().ofMinSize(1).ofMaxSize(5);
  }

  /** Hostile names, made unique (when long enough to be valid) so that no try meets an earlier one's keys. */
  @Provide
  Arbitrary<String> names() {
    return Hostile.strings().map(s -> s.isEmpty() || s.indexOf(':') >= 0 ? s
        : s + "-" + UUID.randomUUID());
  }

  private static String shorten(String text) {
    return text == null ? "null" : text.length() > 40 ? text.substring(0, 40) + "…(" + text.length() + ")" : text;
  }
}
