package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.fail;

import io.bullpen.BullpenException;
import io.bullpen.QueueConnectionException;
import io.bullpen.TimeLimits;
import io.bullpen.redis.internal.keys.KnownKeySuffixes;
import io.lettuce.core.RedisException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

/**
 * Random and hostile inputs for the property tests of every public entry, and the one rule they check: a call
 * either succeeds or fails with a Bullpen exception that says what was wrong, never with a raw Lettuce, Lua,
 * Jackson, Netty or arithmetic exception, nor with a Redis error wrapped as it came.
 */
final class Hostile {
  private static final long MAX = TimeLimits.MAX_EPOCH_MILLIS;

  private Hostile() {}

  /**
   * Strings to break things: the names of the queue's own keys, integers, colons in every arrangement, control
   * characters and NUL, unpaired surrogates, whitespace, long strings, and any random text.
   */
  static Arbitrary<String> strings() {
    Arbitrary<String> special = Arbitraries.of(List.of("", " ", "\u0000", "\u0000x", "a\u0000b", "1", "0", "-0",
        "007", "-42", "1e3", "9007199254740993", "a:b", "a:b:c", "a:b:c:d", ":", "::", "0:x", "0:a:b", "x:",
        ":x", "repeat:s:1", "\uD800", "x\uDC00", "\uDBFF\uDFFF", "\uD83D\uDE00", "é", "日本", "\t", "\n", "\r\n",
        "*", "?", "[a]", "{tag}", "\\", "\"", "'", "%s", "null", "true", "{}", "[]", "📦"));
    Arbitrary<String> keyNames = Arbitraries.of(List.copyOf(KnownKeySuffixes.all()));
    Arbitrary<String> random = Arbitraries.strings().all().ofMaxLength(12);
    Arbitrary<String> unicode = Arbitraries.strings().withCharRange('\u0000', '\uFFFF').ofMaxLength(8);
    Arbitrary<String> plain = Arbitraries.strings().alpha().numeric().withChars("-_.:").ofMinLength(1).ofMaxLength(10);
    Arbitrary<String> longOnes = Arbitraries.integers().between(1_000, 5_000).map("L"::repeat);
    return Arbitraries.frequencyOf(Tuple.of(4, special), Tuple.of(3, keyNames), Tuple.of(3, random),
        Tuple.of(2, unicode), Tuple.of(3, plain), Tuple.of(1, longOnes));
  }

  /** Ints around every boundary the options have (0, 1, priority 2^21 - 1) and the extremes. */
  static Arbitrary<Integer> ints() {
    return Arbitraries.oneOf(Arbitraries.of(0, 1, -1, 2, 3, 2_097_151, 2_097_152, Integer.MAX_VALUE,
        Integer.MIN_VALUE, 10_000, 10_001), Arbitraries.integers());
  }

  /** Longs around every boundary times and delays have (0, 2^41 - 1, 2^53) and the extremes. */
  static Arbitrary<Long> longs() {
    return Arbitraries.oneOf(Arbitraries.of(0L, 1L, -1L, 500L, MAX, MAX + 1, MAX - 1_750_000_000_000L,
        (1L << 53), (1L << 53) + 1, Long.MAX_VALUE, Long.MIN_VALUE), Arbitraries.longs());
  }

  static Arbitrary<Duration> durations() {
    return Arbitraries.oneOf(Arbitraries.of(Duration.ZERO, Duration.ofNanos(1), Duration.ofMillis(-1),
        Duration.ofMinutes(5), Duration.ofMillis(MAX), Duration.ofMillis(MAX + 1), Duration.ofSeconds(Long.MAX_VALUE),
        Duration.ofSeconds(Long.MIN_VALUE)), longs().map(Duration::ofMillis));
  }

  static Arbitrary<Instant> instants() {
    return Arbitraries.oneOf(Arbitraries.of(Instant.MIN, Instant.MAX, Instant.EPOCH, Instant.EPOCH.minusMillis(1),
        TimeLimits.MAX_INSTANT, TimeLimits.MAX_INSTANT.plusMillis(1), Instant.parse("2030-01-01T00:00:00Z")),
        Arbitraries.longs().between(-1_000_000_000_000_000L, 1_000_000_000_000_000L).map(Instant::ofEpochSecond));
  }

  /**
   * Job data: null, hostile strings as keys and values, numbers at their extremes, nesting (sometimes deeper than
   * Jackson writes), large strings, and raw JSON text, valid or not.
   */
  static Arbitrary<Object> data() {
    Arbitrary<Object> scalars = Arbitraries.oneOf(strings().map(s -> (Object) s), longs().map(l -> (Object) l),
        Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, -0.0, 1e308, Double.MIN_VALUE).map(d -> (Object) d),
        Arbitraries.of(true, false).map(b -> (Object) b));
    Arbitrary<Object> maps = Arbitraries.maps(strings(), scalars).ofMaxSize(4).map(m -> (Object) new LinkedHashMap<>(m));
    Arbitrary<Object> lists = scalars.list().ofMaxSize(4).map(l -> (Object) l);
    Arbitrary<Object> deep = Arbitraries.integers().between(900, 1_100).map(Hostile::nested);
    Arbitrary<Object> large = Arbitraries.integers().between(3_000, 5_000).map(n -> (Object) Map.of("s", "é".repeat(n)));
    Arbitrary<Object> raw = Arbitraries.oneOf(Arbitraries.of("{}", "[]", "null", "1", "\"s\"", "{\"a\":\"\\ud800\"}",
        "", " ", "{", "{} {}", "[1] x", "{\"a\":1,}", "NaN", "\u0000", "{\"a\u0000\":1}"), strings())
        .map(json -> {
          try {
            return (Object) RawJson.of(json);
          } catch (io.bullpen.InvalidOptionException refused) {
            return (Object) json; // refused as RawJson: then stored as a JSON string
          }
        });
    return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(null)), Tuple.of(3, scalars), Tuple.of(3, maps),
        Tuple.of(2, lists), Tuple.of(2, deep), Tuple.of(2, large), Tuple.of(3, raw));
  }

  private static Object nested(int depth) {
    Object value = 1;
    for (int i = 0; i < depth; i++) {
      List<Object> wrapper = new ArrayList<>(1);
      wrapper.add(value);
      value = wrapper;
    }
    return value;
  }

  /** What a call did: ran, or was refused with the Bullpen exception it names. */
  record Outcome(RuntimeException refusal) {
    boolean accepted() {
      return refusal == null;
    }
  }

  /**
   * Runs {@code call}: a Bullpen exception that names its problem is a refusal, anything else (a raw client,
   * Lua, Jackson, Netty or arithmetic exception, a Redis error passed on as it came, a lost connection) fails the
   * property.
   */
  static Outcome attempt(String what, Runnable call) {
    try {
      call.run();
      return new Outcome(null);
    } catch (QueueConnectionException e) {
      return fail(what + ": Redis trouble instead of an answer", e);
    } catch (BullpenException e) {
      if (e.getClass() == BullpenException.class && e.getCause() instanceof RedisException) {
        return fail(what + ": a Redis error passed on as it came: " + e.getMessage(), e);
      }
      if (e.getMessage() == null || e.getMessage().isBlank()) {
        return fail(what + ": a refusal without a message", e);
      }
      return new Outcome(e);
    } catch (RuntimeException | StackOverflowError e) {
      return fail(what + ": not a Bullpen exception: " + e, e);
    }
  }
}
