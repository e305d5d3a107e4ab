package io.bullpen.server.internal.http;

/**
 * A request the server refuses: an HTTP status, a stable machine-readable code, the field at fault (if one is), and
 * a message for people. Rendered as {@code {"error":{"code","message","field"}}}.
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final String field;

  public ApiException(int status, String code, String field, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.field = field;
  }

  /** 400 {@code invalid_field}: {@code field} has a value the server cannot use. */
  public static ApiException invalid(String field, String message) {
    return new ApiException(400, "invalid_field", field, message);
  }

  /** 400 {@code invalid_field} for a required field that is missing. */
  public static ApiException missing(String field) {
    return new ApiException(400, "invalid_field", field, field + " is required");
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  /** The field at fault, or null. */
  public String field() {
    return field;
  }
}
