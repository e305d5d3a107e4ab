package io.bullpen;

import java.util.Locale;

/** Where a job is. BullMQ 6 has no separate paused state: jobs of a paused queue are {@link #WAITING}. */
public enum JobState {
  WAITING("waiting"),
  PRIORITIZED("prioritized"),
  DELAYED("delayed"),
  ACTIVE("active"),
  WAITING_CHILDREN("waiting-children"),
  COMPLETED("completed"),
  FAILED("failed"),
  UNKNOWN("unknown");

  private final String wireName;

  JobState(String wireName) {
    this.wireName = wireName;
  }

  /** The name BullMQ uses for this state in events, counts and {@code getState}. */
  public String wireName() {
    return wireName;
  }

  /** Parses a BullMQ state name ({@code "wait"} and {@code "paused"} both mean {@link #WAITING}). */
  public static JobState fromWireName(String name) {
    if (name == null) {
      throw new InvalidOptionException("state", null, "must be one of " + java.util.Arrays.toString(values()));
    }
    switch (name.toLowerCase(Locale.ROOT)) {
      case "wait":
      case "waiting":
      case "paused":
        return WAITING;
      default:
        for (JobState state : values()) {
          if (state.wireName.equals(name)) {
            return state;
          }
        }
        throw new InvalidOptionException("state", name, "unknown job state");
    }
  }
}
