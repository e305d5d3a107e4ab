package io.bullpen.event;

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
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Turns the field/value pairs of one event-stream entry into a {@link QueueEvent}; see {@link QueueEvent#parse}. */
final class EventParser {
  private static final String EVENT = "event";
  private static final String JOB_ID = "jobId";
  private static final String PREV = "prev";

  private EventParser() {}

  static QueueEvent parse(String entryId, Map<String, String> fields) {
    String id = entryId == null ? "" : entryId;
    Map<String, String> f = withoutNulls(fields);
    String name = f.getOrDefault(EVENT, "");
    QueueEvent typed = typed(id, name, f);
    return typed != null ? typed : custom(id, name, f);
  }

  /** The typed record, or null when the name is unknown or a required field is missing or unreadable. */
  private static QueueEvent typed(String id, String name, Map<String, String> f) {
    String job = f.get(JOB_ID);
    switch (name) {
      case Drained.NAME:
        return new Drained(id);
      case Paused.NAME:
        return new Paused(id);
      case Resumed.NAME:
        return new Resumed(id);
      case Cleaned.NAME: {
        Long count = integer(f.get("count"));
        return count == null ? null : new Cleaned(id, count);
      }
      default:
        break;
    }
    if (job == null) {
      return null;
    }
    switch (name) {
      case Added.NAME:
        return f.containsKey("name") ? new Added(id, job, f.get("name")) : null;
      case Waiting.NAME:
        return new Waiting(id, job, Optional.ofNullable(f.get(PREV)));
      case Delayed.NAME: {
        Long due = integer(f.get("delay"));
        return due == null ? null : new Delayed(id, job, due);
      }
      case Active.NAME:
        return f.containsKey(PREV) ? new Active(id, job, f.get(PREV)) : null;
      case Progress.NAME:
        return f.containsKey("data") ? new Progress(id, job, f.get("data")) : null;
      case Completed.NAME:
        return f.containsKey("returnvalue") && f.containsKey(PREV)
            ? new Completed(id, job, f.get("returnvalue"), f.get(PREV)) : null;
      case Failed.NAME:
        return f.containsKey("failedReason") && f.containsKey(PREV)
            ? new Failed(id, job, f.get("failedReason"), f.get(PREV)) : null;
      case RetriesExhausted.NAME: {
        Long attempts = integer(f.get("attemptsMade"));
        return attempts == null ? null : new RetriesExhausted(id, job, attempts);
      }
      case Stalled.NAME:
        return new Stalled(id, job);
      case Removed.NAME:
        return f.containsKey(PREV) ? new Removed(id, job, f.get(PREV)) : null;
      case Duplicated.NAME:
        return new Duplicated(id, job);
      case Deduplicated.NAME:
        return f.containsKey("deduplicationId")
            ? new Deduplicated(id, job, f.get("deduplicationId"), Optional.ofNullable(f.get("deduplicatedJobId")))
            : null;
      case WaitingChildren.NAME:
        return new WaitingChildren(id, job, Optional.ofNullable(f.get(PREV)));
      default:
        return null;
    }
  }

  private static Custom custom(String id, String name, Map<String, String> f) {
    Map<String, String> rest = new LinkedHashMap<>(f);
    rest.remove(EVENT);
    return new Custom(id, name, rest);
  }

  private static Map<String, String> withoutNulls(Map<String, String> fields) {
    Map<String, String> copy = new LinkedHashMap<>();
    if (fields != null) {
      fields.forEach((k, v) -> {
        if (k != null && v != null) {
          copy.put(k, v);
        }
      });
    }
    return copy;
  }

  /**
   * An integral number as a Lua script may have written it: plain digits, or a float form such as
   * {@code 1.7e+12} or {@code 12.0}; fractions are truncated. Null when absent, not a number or out of range.
   */
  private static Long integer(String text) {
    if (text == null) {
      return null;
    }
    String trimmed = text.trim();
    try {
      return Long.parseLong(trimmed);
    } catch (NumberFormatException notPlainDigits) {
      // try the decimal forms below
    }
    try {
      BigDecimal value = new BigDecimal(trimmed);
      long integerDigits = (long) value.precision() - value.scale();
      if (integerDigits <= 0) {
        return 0L;
      }
      // Checked before rescaling so an exponent like 1e999999999 cannot make BigDecimal build a huge number.
      if (integerDigits > 19) {
        return null;
      }
      return value.setScale(0, RoundingMode.DOWN).longValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      return null;
    }
  }
}
