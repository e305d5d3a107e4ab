package io.bullpen;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.regex.Pattern;

/** BullMQ's rules for custom job ids ({@code JobOptions.builder().jobId(id)}). */
public final class JobIds {
  private static final Pattern INTEGER = Pattern.compile("-?\\d+");

  private JobIds() {}

  /**
   * Returns {@code id} when BullMQ accepts it as a custom job id: not empty, not an integer (those are the
   * counter's), not starting with {@code "0:"}, with a {@code ':'} only in BullMQ's three-part form, and
   * without an unpaired surrogate ({@link StoredText}). The names of a queue's own keys ({@code meta},
   * {@code wait}, ...) are refused too, when the job is added.
   *
   * @throws InvalidOptionException naming {@code jobId} otherwise
   */
  public static String requireValidCustomId(String id) {
    if (id == null || id.isEmpty()) {
      throw new InvalidOptionException("jobId", id, "must be a non-empty string");
    }
    if (isCanonicalInteger(id)) {
      throw new InvalidOptionException("jobId", id, "Custom Id cannot be integers");
    }
    if (id.startsWith("0:")) {
      throw new InvalidOptionException("jobId", id, "ids starting with \"0:\" are reserved");
    }
    if (id.indexOf(':') >= 0 && id.split(":", -1).length != 3) {
      throw new InvalidOptionException("jobId", id, "Custom Id cannot contain :");
    }
    return StoredText.requireWellFormed("jobId", id);
  }

  /**
   * BullMQ refuses an id exactly when {@code String(parseInt(id, 10)) === id} in JavaScript: the canonical
   * decimal form of an integer a double holds exactly, below 1e21. So "007", "-0" and ids beyond double
   * precision are allowed, as they are in Node.
   */
  private static boolean isCanonicalInteger(String id) {
    if (!INTEGER.matcher(id).matches()) {
      return false;
    }
    BigInteger value = new BigInteger(id);
    if (!value.toString().equals(id)) {
      return false;
    }
    double asDouble = value.doubleValue();
    return Math.abs(asDouble) < 1e21 && new BigDecimal(asDouble).toBigInteger().equals(value);
  }
}
