package io.bullpen.outbox;

import io.bullpen.InvalidOptionException;

/** The outbox's argument checks, each failing with an {@link InvalidOptionException} naming the field. */
final class Require {
  private Require() {}

  static <T> T nonNull(String field, T value) {
    if (value == null) {
      throw new InvalidOptionException(field, null, "must not be null");
    }
    return value;
  }
}
