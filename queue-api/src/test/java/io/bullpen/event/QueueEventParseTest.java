package io.bullpen.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class QueueEventParseTest {
  private static final String ID = "1795336241626-3";

  /** Builds an entry in stream order from alternating field names and values. */
  private static Map<String, String> entry(String... pairs) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      fields.put(pairs[i], pairs[i + 1]);
    }
    return fields;
  }

  @Test
  void everyBullmqEventBecomesItsRecordWithTypedFields() {
    assertEquals(new Added(ID, "7", "send-mail"), QueueEvent.parse(ID, entry("event", "added", "jobId", "7", "name", "send-mail")));
    assertEquals(new Waiting(ID, "7", Optional.empty()), QueueEvent.parse(ID, entry("event", "waiting", "jobId", "7")));
    assertEquals(new Waiting(ID, "7", Optional.of("delayed")),
        QueueEvent.parse(ID, entry("event", "waiting", "jobId", "7", "prev", "delayed")));
    assertEquals(new Delayed(ID, "7", 1795336241626L),
        QueueEvent.parse(ID, entry("event", "delayed", "jobId", "7", "delay", "1795336241626")));
    assertEquals(new Active(ID, "7", "waiting"), QueueEvent.parse(ID, entry("event", "active", "jobId", "7", "prev", "waiting")));
    assertEquals(new Progress(ID, "7", "{\"pct\":50}"),
        QueueEvent.parse(ID, entry("event", "progress", "jobId", "7", "data", "{\"pct\":50}")));
    assertEquals(new Completed(ID, "7", "{\"ok\":true}", "active"),
        QueueEvent.parse(ID, entry("event", "completed", "jobId", "7", "returnvalue", "{\"ok\":true}", "prev", "active")));
    assertEquals(new Failed(ID, "7", "boom", "active"),
        QueueEvent.parse(ID, entry("event", "failed", "jobId", "7", "failedReason", "boom", "prev", "active")));
    assertEquals(new RetriesExhausted(ID, "7", 3),
        QueueEvent.parse(ID, entry("event", "retries-exhausted", "jobId", "7", "attemptsMade", "3")));
    assertEquals(new Stalled(ID, "7"), QueueEvent.parse(ID, entry("event", "stalled", "jobId", "7")));
    assertEquals(new Removed(ID, "7", "wait"), QueueEvent.parse(ID, entry("event", "removed", "jobId", "7", "prev", "wait")));
    assertEquals(new Drained(ID), QueueEvent.parse(ID, entry("event", "drained")));
    assertEquals(new Paused(ID), QueueEvent.parse(ID, entry("event", "paused")));
    assertEquals(new Resumed(ID), QueueEvent.parse(ID, entry("event", "resumed")));
    assertEquals(new Duplicated(ID, "my-id"), QueueEvent.parse(ID, entry("event", "duplicated", "jobId", "my-id")));
    assertEquals(new Deduplicated(ID, "3", "dedup-a", Optional.of("9")),
        QueueEvent.parse(ID, entry("event", "deduplicated", "jobId", "3", "deduplicationId", "dedup-a",
            "deduplicatedJobId", "9")));
    assertEquals(new WaitingChildren(ID, "p1", Optional.empty()),
        QueueEvent.parse(ID, entry("event", "waiting-children", "jobId", "p1")));
    assertEquals(new WaitingChildren(ID, "p1", Optional.of("active")),
        QueueEvent.parse(ID, entry("event", "waiting-children", "jobId", "p1", "prev", "active")));
    assertEquals(new Cleaned(ID, 12), QueueEvent.parse(ID, entry("event", "cleaned", "count", "12")));
  }

  @Test
  void recordNamesMatchTheWireNames() {
    List<QueueEvent> events = List.of(new Added(ID, "1", "n"), new RetriesExhausted(ID, "1", 1),
        new WaitingChildren(ID, "1", Optional.empty()), new Cleaned(ID, 0), new Drained(ID));
    assertEquals(List.of("added", "retries-exhausted", "waiting-children", "cleaned", "drained"),
        events.stream().map(QueueEvent::name).toList());
  }

  @Test
  void jobIdIsPresentExactlyForJobEventsAndCustomEventsCarryingOne() {
    assertEquals(Optional.of("7"), QueueEvent.parse(ID, entry("event", "stalled", "jobId", "7")).jobId());
    assertEquals(Optional.empty(), QueueEvent.parse(ID, entry("event", "drained")).jobId());
    assertEquals(Optional.of("42"), QueueEvent.parse(ID, entry("event", "my-event", "jobId", "42", "x", "y")).jobId());
    assertEquals(Optional.empty(), QueueEvent.parse(ID, entry("event", "my-event", "x", "y")).jobId());
  }

  @Test
  void unknownEventBecomesCustomWithItsFieldsInStreamOrder() {
    QueueEvent event = QueueEvent.parse(ID, entry("event", "example-event", "custom-key", "v", "a", "1", "z", "2"));
    Custom custom = assertInstanceOf(Custom.class, event);
    assertEquals("example-event", custom.name());
    assertEquals(ID, custom.eventId());
    assertEquals(List.of("custom-key", "a", "z"), List.copyOf(custom.fields().keySet()));
    assertThrows(UnsupportedOperationException.class, () -> custom.fields().put("b", "c"));
  }

  @Test
  void legacyDebouncedEventIsCustom() {
    Custom custom = assertInstanceOf(Custom.class,
        QueueEvent.parse(ID, entry("event", "debounced", "jobId", "3", "debounceId", "d")));
    assertEquals(Map.of("jobId", "3", "debounceId", "d"), custom.fields());
  }

  @Test
  void knownEventMissingARequiredFieldIsKeptAsCustom() {
    assertEquals(new Custom(ID, "completed", Map.of("jobId", "1", "prev", "active")),
        QueueEvent.parse(ID, entry("event", "completed", "jobId", "1", "prev", "active")));
    assertEquals(new Custom(ID, "active", Map.of("prev", "waiting")),
        QueueEvent.parse(ID, entry("event", "active", "prev", "waiting")));
    assertEquals(new Custom(ID, "delayed", Map.of("jobId", "1", "delay", "soon")),
        QueueEvent.parse(ID, entry("event", "delayed", "jobId", "1", "delay", "soon")));
    assertEquals(new Custom(ID, "cleaned", Map.of()), QueueEvent.parse(ID, entry("event", "cleaned")));
  }

  @Test
  void entryWithoutEventFieldIsCustomWithEmptyName() {
    assertEquals(new Custom(ID, "", Map.of("jobId", "1")), QueueEvent.parse(ID, entry("jobId", "1")));
    assertEquals(new Custom(ID, "", Map.of()), QueueEvent.parse(ID, null));
  }

  @Test
  void numbersWrittenInFloatFormAreRead() {
    assertEquals(new Delayed(ID, "1", 1795336241626L),
        QueueEvent.parse(ID, entry("event", "delayed", "jobId", "1", "delay", "1.795336241626e+12")));
    assertEquals(new Delayed(ID, "1", 1500L), QueueEvent.parse(ID, entry("event", "delayed", "jobId", "1", "delay", "1500.9")));
    assertEquals(new Cleaned(ID, 0), QueueEvent.parse(ID, entry("event", "cleaned", "count", "1e-999999999")));
    assertInstanceOf(Custom.class, QueueEvent.parse(ID, entry("event", "cleaned", "count", "1e999999999")));
    assertInstanceOf(Custom.class, QueueEvent.parse(ID, entry("event", "cleaned", "count", "NaN")));
    assertInstanceOf(Custom.class, QueueEvent.parse(ID, entry("event", "cleaned", "count", "99999999999999999999")));
  }

  @Test
  void delayedExposesTheDueTimeAsInstant() {
    Delayed delayed = new Delayed(ID, "1", 1795336241626L);
    assertEquals(Instant.ofEpochMilli(1795336241626L), delayed.dueAt());
  }

  @Test
  void nullValuesAreTreatedAsAbsent() {
    Map<String, String> fields = new HashMap<>();
    fields.put("event", "completed");
    fields.put("jobId", "1");
    fields.put("returnvalue", null);
    fields.put("prev", "active");
    fields.put(null, "x");
    Custom custom = assertInstanceOf(Custom.class, QueueEvent.parse(ID, fields));
    assertEquals(Map.of("jobId", "1", "prev", "active"), custom.fields());
  }

  @Test
  void extraFieldsOfLaterVersionsDoNotPreventTyping() {
    assertEquals(new Stalled(ID, "5"), QueueEvent.parse(ID, entry("event", "stalled", "jobId", "5", "extra", "x")));
  }

  @Test
  void deduplicatedEntryFromOlderVersionsHasNoDiscardedJobId() {
    assertEquals(new Deduplicated(ID, "3", "d", Optional.empty()),
        QueueEvent.parse(ID, entry("event", "deduplicated", "jobId", "3", "deduplicationId", "d")));
  }

  @Test
  void recordsRejectNullComponents() {
    assertThrows(NullPointerException.class, () -> new Completed(ID, null, "1", "active"));
    assertThrows(NullPointerException.class, () -> new Waiting(ID, "1", null));
    assertThrows(NullPointerException.class, () -> new Custom(ID, "x", null));
  }
}
