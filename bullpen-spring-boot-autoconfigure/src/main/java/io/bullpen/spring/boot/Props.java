package io.bullpen.spring.boot;

import io.bullpen.InvalidOptionException;
import java.util.function.Consumer;

/** Hands property values to Bullpen's builders, so that a rejected value is reported under its property's name. */
final class Props {
  private Props() {}

  /** {@code setter.accept(value)} unless {@code value} is null; a rejection names {@code property}. */
  static <T> void apply(String property, T value, Consumer<T> setter) {
    if (value == null) {
      return;
    }
    try {
      setter.accept(value);
    } catch (InvalidOptionException e) {
      throw renamed(property, value, e);
    }
  }

  /** {@code e}, as a rejection of {@code property}. */
  static InvalidOptionException renamed(String property, Object value, InvalidOptionException e) {
    String message = e.getMessage();
    int problem = message.indexOf(": ");
    return new InvalidOptionException(property, value, problem < 0 ? message : message.substring(problem + 2), e);
  }

  /** {@code uri} with its password masked; {@code ***} for text that is no URI. */
  static String masked(String uri) {
    try {
      return io.bullpen.redis.RedisConfig.of(uri).maskedUri();
    } catch (RuntimeException e) {
      return "***";
    }
  }

  /** Kebab-case property name of a builder field, e.g. {@code drainDelay} → {@code drain-delay}. */
  static String kebab(String field) {
    return field.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
  }
}
