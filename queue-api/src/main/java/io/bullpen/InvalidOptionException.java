package io.bullpen;

import java.util.Objects;

/** An option, name or argument was rejected before anything reached Redis. Names the field and the value. */
public class InvalidOptionException extends BullpenException {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final transient Object value;

  public InvalidOptionException(String field, Object value, String problem) {
    super("invalid " + field + " = " + describe(value) + ": " + problem);
    this.field = Objects.requireNonNull(field, "field");
    this.value = value;
  }

  public InvalidOptionException(String field, Object value, String problem, Throwable cause) {
    super("invalid " + field + " = " + describe(value) + ": " + problem, cause);
    this.field = Objects.requireNonNull(field, "field");
    this.value = value;
  }

  /** The name of the rejected option or argument, e.g. {@code priority}. */
  public String field() {
    return field;
  }

  /** The rejected value, as given. */
  public Object value() {
    return value;
  }

  private static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    String text = value instanceof CharSequence ? "\"" + value + "\"" : String.valueOf(value);
    return text.length() > 200 ? text.substring(0, 200) + "…" : text;
  }
}
