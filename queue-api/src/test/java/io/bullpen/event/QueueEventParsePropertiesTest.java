package io.bullpen.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.bullpen.event.QueueEvent.Active;
import io.bullpen.event.QueueEvent.Added;
import io.bullpen.event.QueueEvent.Cleaned;
import io.bullpen.event.QueueEvent.Completed;
import io.bullpen.event.QueueEvent.Custom;
import io.bullpen.event.QueueEvent.Deduplicated;
import io.bullpen.event.QueueEvent.Delayed;
import io.bullpen.event.QueueEvent.Drained;
import io.bullpen.event.QueueEvent.Duplicated;
import io.bullpen.event.QueueEvent.Failed;
import io.bullpen.event.QueueEvent.Paused;
import io.bullpen.event.QueueEvent.Progress;
import io.bullpen.event.QueueEvent.Removed;
import io.bullpen.event.QueueEvent.Resumed;
import io.bullpen.event.QueueEvent.RetriesExhausted;
import io.bullpen.event.QueueEvent.Stalled;
import io.bullpen.event.QueueEvent.Waiting;
import io.bullpen.event.QueueEvent.WaitingChildren;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class QueueEventParsePropertiesTest {
  private static final Set<String> KNOWN = Set.of("added", "waiting", "delayed", "active", "progress", "completed",
      "failed", "retries-exhausted", "stalled", "removed", "drained", "paused", "resumed", "duplicated",
      "deduplicated", "waiting-children", "cleaned");
  private static final List<String> FIELD_NAMES = List.of("event", "jobId", "name", "prev", "delay", "data",
      "returnvalue", "failedReason", "attemptsMade", "deduplicationId", "deduplicatedJobId", "count");

  @Property(tries = 2000)
  void parseNeverThrowsAndKeepsIdAndName(@ForAll("entryIds") String entryId,
      @ForAll("fieldMaps") Map<String, String> fields) {
    QueueEvent event = QueueEvent.parse(entryId, fields);
    assertEquals(entryId, event.eventId());
    assertEquals(fields.getOrDefault("event", ""), event.name());
  }

  @Property
  void unknownNamesBecomeCustomWithAllOtherFields(@ForAll("unknownNames") String name,
      @ForAll("fieldMaps") Map<String, String> fields) {
    Map<String, String> entry = new LinkedHashMap<>();
    entry.put("event", name);
    fields.forEach((k, v) -> {
      if (!k.equals("event")) {
        entry.put(k, v);
      }
    });
    Custom custom = assertInstanceOf(Custom.class, QueueEvent.parse("1-0", entry));
    assertEquals(name, custom.name());
    Map<String, String> expected = new LinkedHashMap<>(entry);
    expected.remove("event");
    assertEquals(List.copyOf(expected.entrySet()), List.copyOf(custom.fields().entrySet()));
  }

  @Property
  void everyTypedEventSurvivesTheWireForm(@ForAll("typedEvents") QueueEvent event) {
    assertEquals(event, QueueEvent.parse(event.eventId(), wireForm(event)));
  }

  @Property
  void parsedEventIsTypedOrCustomNeverBoth(@ForAll("fieldMaps") Map<String, String> fields) {
    QueueEvent event = QueueEvent.parse("5-5", fields);
    if (!KNOWN.contains(event.name())) {
      assertInstanceOf(Custom.class, event);
    }
    if (event instanceof QueueEvent.JobEvent jobEvent) {
      assertEquals(fields.get("jobId"), jobEvent.job());
    }
  }

  @Provide
  Arbitrary<String> entryIds() {
    return Arbitraries.oneOf(
        Combinators.combine(Arbitraries.longs().greaterOrEqual(0), Arbitraries.longs().greaterOrEqual(0))
            .as((ms, seq) -> ms + "-" + seq),
        Arbitraries.strings().ofMaxLength(20));
  }

  @Provide
  Arbitrary<Map<String, String>> fieldMaps() {
    Arbitrary<String> names = Arbitraries.oneOf(Arbitraries.of(FIELD_NAMES), Arbitraries.strings().ofMaxLength(12));
    Arbitrary<String> values = Arbitraries.oneOf(Arbitraries.of(KNOWN), numbers(), Arbitraries.strings().ofMaxLength(30));
    return Arbitraries.maps(names, values).ofMaxSize(8);
  }

  @Provide
  Arbitrary<String> unknownNames() {
    return Arbitraries.strings().ofMaxLength(20).filter(n -> !KNOWN.contains(n));
  }

  private static Arbitrary<String> numbers() {
    return Arbitraries.oneOf(
        Arbitraries.longs().map(String::valueOf),
        Arbitraries.doubles().map(String::valueOf),
        Arbitraries.of("NaN", "-Infinity", "1e400", "1e-400", "1.5e3", " 12 ", "", "0x1F", "9223372036854775808"));
  }

  @Provide
  Arbitrary<QueueEvent> typedEvents() {
    Arbitrary<String> id = Combinators.combine(Arbitraries.longs().between(0, 1L << 45), Arbitraries.integers().between(0, 99))
        .as((ms, seq) -> ms + "-" + seq);
    Arbitrary<String> text = Arbitraries.strings().ofMaxLength(16);
    Arbitrary<Optional<String>> maybe = text.optional();
    Arbitrary<Long> count = Arbitraries.longs();
    return Arbitraries.oneOf(List.of(
        Combinators.combine(id, text, text).as(Added::new),
        Combinators.combine(id, text, maybe).as(Waiting::new),
        Combinators.combine(id, text, count).as(Delayed::new),
        Combinators.combine(id, text, text).as(Active::new),
        Combinators.combine(id, text, text).as(Progress::new),
        Combinators.combine(id, text, text, text).as(Completed::new),
        Combinators.combine(id, text, text, text).as(Failed::new),
        Combinators.combine(id, text, count).as(RetriesExhausted::new),
        Combinators.combine(id, text).as(Stalled::new),
        Combinators.combine(id, text, text).as(Removed::new),
        id.map(Drained::new),
        id.map(Paused::new),
        id.map(Resumed::new),
        Combinators.combine(id, text).as(Duplicated::new),
        Combinators.combine(id, text, text, maybe).as(Deduplicated::new),
        Combinators.combine(id, text, maybe).as(WaitingChildren::new),
        Combinators.combine(id, count).as(Cleaned::new)));
  }

  /** The stream entry BullMQ would write for {@code event}: {@code event} first, then the fields of §5 in order. */
  private static Map<String, String> wireForm(QueueEvent event) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("event", event.name());
    event.jobId().ifPresent(job -> f.put("jobId", job));
    if (event instanceof Added e) {
      f.put("name", e.jobName());
    } else if (event instanceof Waiting e) {
      e.prev().ifPresent(p -> f.put("prev", p));
    } else if (event instanceof Delayed e) {
      f.put("delay", Long.toString(e.delay()));
    } else if (event instanceof Active e) {
      f.put("prev", e.prev());
    } else if (event instanceof Progress e) {
      f.put("data", e.dataJson());
    } else if (event instanceof Completed e) {
      f.put("returnvalue", e.returnValueJson());
      f.put("prev", e.prev());
    } else if (event instanceof Failed e) {
      f.put("failedReason", e.failedReason());
      f.put("prev", e.prev());
    } else if (event instanceof RetriesExhausted e) {
      f.put("attemptsMade", Long.toString(e.attemptsMade()));
    } else if (event instanceof Removed e) {
      f.put("prev", e.prev());
    } else if (event instanceof Deduplicated e) {
      f.put("deduplicationId", e.deduplicationId());
      e.deduplicatedJobId().ifPresent(d -> f.put("deduplicatedJobId", d));
    } else if (event instanceof WaitingChildren e) {
      e.prev().ifPresent(p -> f.put("prev", p));
    } else if (event instanceof Cleaned e) {
      f.put("count", Long.toString(e.count()));
    }
    return f;
  }
}
