package io.bullpen.redis.internal.codec;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bullpen.BullpenException;
import io.bullpen.InvalidOptionException;
import io.bullpen.StoredText;
import io.bullpen.redis.RawJson;

/** The one Jackson mapper Bullpen uses, and conversions that name what failed. */
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper()
      .findAndRegisterModules()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /**
   * For checking JSON text given as it is ({@link RawJson}): one whole value and nothing after it, as
   * {@code JSON.parse} in Node requires, and no string length limit ({@link Payloads} has one).
   */
  private static final ObjectMapper UNLIMITED = MAPPER.copy()
      .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);

  static {
    UNLIMITED.getFactory().setStreamReadConstraints(
        StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build());
  }

  private Json() {}

  /**
   * Parses {@code json} without a string length limit, to check that it is exactly one JSON value.
   *
   * @throws JsonProcessingException for anything else, including empty text and text after the value
   */
  public static void parse(String json) throws JsonProcessingException {
    if (UNLIMITED.readTree(json).isMissingNode()) {
      throw new JsonParseException(null, "no JSON value (the text is empty or blank)");
    }
  }

  /**
   * Serialises {@code value} (a {@link RawJson} is checked and passed through); null becomes {@code {}}. Unpaired
   * surrogates come out escaped ({@link #escapeUnpairedSurrogates}).
   */
  public static String dataToJson(Object value, String field) {
    if (value == null) {
      return "{}";
    }
    if (value instanceof RawJson raw) {
      return escapeUnpairedSurrogates(raw.json());
    }
    try {
      return escapeUnpairedSurrogates(MAPPER.writeValueAsString(value));
    } catch (JsonProcessingException | RuntimeException e) {
      throw new InvalidOptionException(field, value.getClass().getName(),
          "cannot be serialised to JSON: " + e.getMessage(), e);
    }
  }

  /**
   * Serialises a job's progress (a number, string, boolean or any JSON-serialisable object; {@link RawJson} passes
   * through), for {@code Job.updateProgress} and {@code Queue.updateJobProgress}.
   *
   * @throws InvalidOptionException for null or a value Jackson cannot write
   */
  public static String progressToJson(Object progress) {
    if (progress == null) {
      throw new InvalidOptionException("progress", null, "must be a number or a JSON-serialisable object");
    }
    return dataToJson(progress, "progress");
  }

  /** Serialises a processor result; null becomes JSON {@code null}, as BullMQ stores an undefined result. */
  public static String resultToJson(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof RawJson raw) {
      return escapeUnpairedSurrogates(raw.json());
    }
    try {
      return escapeUnpairedSurrogates(MAPPER.writeValueAsString(value));
    } catch (JsonProcessingException | RuntimeException e) {
      throw new BullpenException("the processor's result of type " + value.getClass().getName()
          + " cannot be serialised to JSON: " + e.getMessage(), e);
    }
  }

  /**
   * {@code json} with every unpaired UTF-16 surrogate written as a JSON escape (backslash, u, four hex digits).
   * Jackson writes such a char as it is, and UTF-8 (what Redis stores) cannot encode it: the Redis client would
   * store {@code '?'}.
   * The escape is valid JSON and reads back as the same char. Unpaired surrogates can only sit inside string
   * literals (everything else in JSON is ASCII), so escaping them never changes the document's structure.
   */
  public static String escapeUnpairedSurrogates(String json) {
    int at = StoredText.unpairedSurrogateAt(json);
    if (at < 0) {
      return json;
    }
    StringBuilder out = new StringBuilder(json.length() + 16).append(json, 0, at);
    for (int i = at; i < json.length(); i++) {
      char c = json.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < json.length() && Character.isLowSurrogate(json.charAt(i + 1))) {
        out.append(c).append(json.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  public static JsonNode tree(String json, String what) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new BullpenException("cannot parse " + what + " as JSON: " + e.getOriginalMessage(), e);
    }
  }
}
