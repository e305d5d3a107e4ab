package io.bullpen.server;

import io.bullpen.InvalidOptionException;
import java.util.Arrays;
import java.util.Locale;

/**
 * What an API key may do. Scopes are independent, except that {@link #ADMIN} includes every other: a producer's key
 * ({@link #PRODUCE}) cannot read jobs back unless it also has {@link #READ}.
 */
public enum Scope {
  /** Queues, counts, jobs, logs, schedulers: every {@code GET}. */
  READ,
  /** Adding jobs, one or a bulk. */
  PRODUCE,
  /** The lease API of remote workers: claim, ack, fail, extend, abandon. */
  WORK,
  /** Operator actions (retry, promote, remove, priority, cancel, pause, resume, clean, drain, schedulers). */
  ADMIN;

  /** The name used in key files and on the command line: {@code read}, {@code produce}, ... */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@link #wireName()}, case-insensitively. */
  public static Scope parse(String name) {
    if (name != null) {
      for (Scope scope : values()) {
        if (scope.wireName().equalsIgnoreCase(name.trim())) {
          return scope;
        }
      }
    }
    throw new InvalidOptionException("scope", name, "must be one of "
        + Arrays.stream(values()).map(Scope::wireName).toList());
  }
}
