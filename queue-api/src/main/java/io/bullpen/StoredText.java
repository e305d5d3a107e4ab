package io.bullpen;

/**
 * The rule for text Bullpen stores (names, ids, log lines): Redis holds it as UTF-8, so it must be well-formed
 * UTF-16, without an unpaired surrogate, which UTF-8 cannot encode (the Redis client would store {@code '?'}
 * in its place, and two different strings would become one key). JSON payloads need no such rule: Bullpen
 * writes an unpaired surrogate in JSON text as an escape (backslash, u, four hex digits), which reads back as the
 * same string.
 */
public final class StoredText {
  private StoredText() {}

  /**
   * Returns {@code value} when it holds no unpaired surrogate (null passes).
   *
   * @throws InvalidOptionException naming {@code field} otherwise
   */
  public static String requireWellFormed(String field, String value) {
    int at = unpairedSurrogateAt(value);
    if (at >= 0) {
      throw new InvalidOptionException(field, value, String.format(
          "holds an unpaired UTF-16 surrogate (\\u%04X at index %d), which cannot be stored as UTF-8",
          (int) value.charAt(at), at));
    }
    return value;
  }

  /** The index of the first unpaired surrogate of {@code text}, or -1 when there is none (or text is null). */
  public static int unpairedSurrogateAt(CharSequence text) {
    if (text == null) {
      return -1;
    }
    int length = text.length();
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
        } else {
          return i;
        }
      } else if (Character.isLowSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }
}
