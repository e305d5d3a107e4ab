package io.bullpen.event;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of a queue's BullMQ event stream ({@code <prefix>:<queue>:events}), typed. There is one record per
 * event BullMQ 6 writes; anything else (custom events, or a known event missing a required field) is a
 * {@link Custom}, so no entry is ever dropped.
 *
 * <p>Events about one job implement {@link JobEvent}; their job id is {@link JobEvent#job()}, and
 * {@link #jobId()} offers it as an {@code Optional} on every event.
 */
public sealed interface QueueEvent
    permits QueueEvent.JobEvent, QueueEvent.Drained, QueueEvent.Paused, QueueEvent.Resumed, QueueEvent.Cleaned,
    QueueEvent.Custom {

  /** The stream entry id, e.g. {@code 1717171717171-0}; pass it as {@code lastEventId} to resume after it. */
  String eventId();

  /** BullMQ's event name, the entry's {@code event} field, e.g. {@code completed}. */
  String name();

  /** The job this event is about, when it is about one. */
  default Optional<String> jobId() {
    return Optional.empty();
  }

  /**
   * Reads one stream entry. Never throws for any field map (a null map counts as empty): unknown names, and known
   * names lacking a required field or carrying an unreadable number, become {@link Custom}.
   *
   * @param entryId the stream entry id
   * @param fields the entry's field/value pairs, {@code event} included
   */
  static QueueEvent parse(String entryId, Map<String, String> fields) {
    return EventParser.parse(entryId, fields);
  }

  /** An event about one job. */
  sealed interface JobEvent extends QueueEvent
      permits Added, Waiting, Delayed, Active, Progress, Completed, Failed, RetriesExhausted, Stalled, Removed,
      Duplicated, Deduplicated, WaitingChildren {

    /** The id of the job this event is about. */
    String job();

    @Override
    default Optional<String> jobId() {
      return Optional.of(job());
    }
  }

  /** {@code added}: a job was stored (by any add path). */
  record Added(String eventId, String job, String jobName) implements JobEvent {
    public static final String NAME = "added";

    public Added {
      require(eventId, job);
      Objects.requireNonNull(jobName, "jobName");
    }

    @Override
    public String name() {
      return NAME;
    }
  }

  /**
   * {@code waiting}: a job became ready to run. {@code prev} is absent on add, else the state it came from
   * ({@code delayed}, {@code active}, {@code waiting-children}, {@code completed}, {@code failed}).
   */
  record Waiting(String eventId, String job, Optional<String> prev) implements JobEvent {
    public static final String NAME = "waiting";

    public Waiting {
      require(eventId, job);
      Objects.requireNonNull(prev, "prev");
    }

    @Override
    public String name() {
      return NAME;
    }
  }

  /**
   * {@code delayed}: a job was put in the delayed set. As on the wire, {@code delay} is the absolute due time
   * (epoch milliseconds, producer's clock), not the relative delay; see {@link #dueAt()}.
   */
  record Delayed(String eventId, String job, long delay) implements JobEvent {
    public static final String NAME = "delayed";

    public Delayed {
      require(eventId, job);
    }

    /** When the job becomes due. */
    public Instant dueAt() {
      return Instant.ofEpochMilli(delay);
    }

    @Override
    public String name() {
      return NAME;
    }
  }

  /** {@code active}: a worker took the job; {@code prev} is normally {@code waiting}. */
  record Active(String eventId, String job, String prev) implements JobEvent {
    public static final String NAME = "active";

    public Active {
      require(eventId, job);
      Objects.requireNonNull(prev, "prev");
    }

    @Override
    public String name() {
      return NAME;
    }
  }

  /** {@code progress}: the job reported progress; {@code dataJson} is the progress as JSON text (e.g. {@code 42}). */
  record Progress(String eventId, String job, String dataJson) implements JobEvent {
    public static final String NAME = "progress";

    public Progress {
      require(eventId, job);
      Objects.requireNonNull(dataJson, "dataJson");
    }

    @Override
    public String name() {
      return NAME;
    }
  }

  /** {@code completed}: final success; {@code returnValueJson} is the result as JSON text ({@code null} if none). */
  record Completed(String eventId, String job, String returnValueJson, String prev) implements JobEvent {
    public static final String NAME = "completed";

    public Completed {
      require(eventId, job);
      Objects.requireNonNull(returnValueJson, "returnValueJson");
      Objects.requireNonNull(prev, "prev");
    }

    @Override
    public String name() {
      return NAME;
    }
  }

  /** {@code failed}: final failure (not written for attempts that will be retried). */
  record Failed(String eventId, String job, String failedReason, String prev) implements JobEvent {
    public static final String NAME = "failed";

    public Failed {
      require(eventId, job);
      Objects.requireNonNull(failedReason, "failedReason");
      Objects.requireNonNull(prev, "prev");
    }

    @Override
    public String name() {
      return NAME;
    }
  }

  /** {@code retries-exhausted}: the job failed with all its attempts used. */
  record RetriesExhausted(String eventId, String job, long attemptsMade) implements JobEvent {
    public static final String NAME = "retries-exhausted";

    public RetriesExhausted {
      require(eventId, job);
    }

    @Override
    public String name() {
      return NAME;
    }
  }

  /** {@code stalled}: the job's lock expired and it was put back to wait (written after its {@code waiting}). */
  record Stalled(String eventId, String job) implements JobEvent {
    public static final String NAME = "stalled";

    public Stalled {
      require(eventId, job);
    }

    @Override
    public String name() {
      return NAME;
    }
  }

  /** {@code removed}: the job was deleted; {@code prev} is the state it was in. */
  record Removed(String eventId, String job, String prev) implements JobEvent {
    public static final String NAME = "removed";

    public Removed {
      require(eventId, job);
      Objects.requireNonNull(prev, "prev");
    }

    @Override
    public String name() {
      return NAME;
    }
  }

  /** {@code duplicated}: an add named a job id that already exists; nothing was stored. */
  record Duplicated(String eventId, String job) implements JobEvent {
    public static final String NAME = "duplicated";

    public Duplicated {
      require(eventId, job);
    }

    @Override
    public String name() {
      return NAME;
    }
  }

  /**
   * {@code deduplicated}: an add hit a deduplication id. {@code job} is the surviving job; {@code deduplicatedJobId}
   * the discarded one (absent in entries written by BullMQ versions before it was added).
   */
  record Deduplicated(String eventId, String job, String deduplicationId, Optional<String> deduplicatedJobId)
      implements JobEvent {
    public static final String NAME = "deduplicated";

    public Deduplicated {
      require(eventId, job);
      Objects.requireNonNull(deduplicationId, "deduplicationId");
      Objects.requireNonNull(deduplicatedJobId, "deduplicatedJobId");
    }

    @Override
    public String name() {
      return NAME;
    }
  }

  /** {@code waiting-children}: a parent waits for its children; {@code prev} is {@code active} when moved there. */
  record WaitingChildren(String eventId, String job, Optional<String> prev) implements JobEvent {
    public static final String NAME = "waiting-children";

    public WaitingChildren {
      require(eventId, job);
      Objects.requireNonNull(prev, "prev");
    }

    @Override
    public String name() {
      return NAME;
    }
  }

  /** {@code drained}: a finish left wait, active and prioritized all empty. */
  record Drained(String eventId) implements QueueEvent {
    public static final String NAME = "drained";

    public Drained {
      Objects.requireNonNull(eventId, "eventId");
    }

    @Override
    public String name() {
      return NAME;
    }
  }

  /** {@code paused}: the queue was paused. */
  record Paused(String eventId) implements QueueEvent {
    public static final String NAME = "paused";

    public Paused {
      Objects.requireNonNull(eventId, "eventId");
    }

    @Override
    public String name() {
      return NAME;
    }
  }

  /** {@code resumed}: the queue was resumed. */
  record Resumed(String eventId) implements QueueEvent {
    public static final String NAME = "resumed";

    public Resumed {
      Objects.requireNonNull(eventId, "eventId");
    }

    @Override
    public String name() {
      return NAME;
    }
  }

  /** {@code cleaned}: one clean call removed {@code count} jobs. */
  record Cleaned(String eventId, long count) implements QueueEvent {
    public static final String NAME = "cleaned";

    public Cleaned {
      Objects.requireNonNull(eventId, "eventId");
    }

    @Override
    public String name() {
      return NAME;
    }
  }

  /**
   * Any other entry: a custom event (BullMQ's {@code QueueEventsProducer}), an event of a later BullMQ version, or a
   * known event lacking a required field. {@code fields} holds every pair except {@code event}, in stream order;
   * {@code name} is the {@code event} value (empty if the entry had none).
   */
  record Custom(String eventId, String name, Map<String, String> fields) implements QueueEvent {
    public Custom {
      Objects.requireNonNull(eventId, "eventId");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(fields, "fields");
      LinkedHashMap<String, String> copy = new LinkedHashMap<>();
      fields.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "field name"), Objects.requireNonNull(v, k)));
      fields = Collections.unmodifiableMap(copy);
    }

    /** The {@code jobId} field, if the entry has one (BullMQ also routes such custom events to job listeners). */
    @Override
    public Optional<String> jobId() {
      return Optional.ofNullable(fields.get("jobId"));
    }
  }

  private static void require(String eventId, String job) {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(job, "job");
  }
}
