package io.bullpen.redis.internal.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bullpen.BullpenException;
import io.bullpen.InvalidOptionException;
import io.bullpen.redis.RawJson;

/** The one Jackson mapper Bullpen uses, and conversions that name what failed. */
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper()
      .findAndRegisterModules()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private Json() {}

  /** Serialises {@code value} (a {@link RawJson} is checked and passed through); null becomes {@code {}}. */
  public static String dataToJson(Object value, String field) {
    if (value == null) {
      return "{}";
    }
    if (value instanceof RawJson raw) {
      return raw.json();
    }
    try {
      return MAPPER.writeValueAsString(value);
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
      return raw.json();
    }
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException | RuntimeException e) {
      throw new BullpenException("the processor's result of type " + value.getClass().getName()
          + " cannot be serialised to JSON: " + e.getMessage(), e);
    }
  }

  public static <T> T fromJson(String json, Class<T> type, String what) {
    try {
      return MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new BullpenException("cannot read " + what + " as " + type.getName() + ": " + e.getOriginalMessage(), e);
    }
  }

  public static JsonNode tree(String json, String what) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new BullpenException("cannot parse " + what + " as JSON: " + e.getOriginalMessage(), e);
    }
  }
}
