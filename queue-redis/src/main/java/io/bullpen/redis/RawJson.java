package io.bullpen.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.bullpen.InvalidOptionException;
import io.bullpen.redis.internal.codec.Json;

/**
 * JSON text to be stored as job data (or a result) exactly as given, for callers that already hold JSON.
 *
 * @param json valid JSON text
 */
public record RawJson(String json) {
  public RawJson {
    if (json == null) {
      throw new InvalidOptionException("data", null, "raw JSON must not be null");
    }
    try {
      Json.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new InvalidOptionException("data", json, "is not valid JSON: " + e.getOriginalMessage());
    }
  }

  public static RawJson of(String json) {
    return new RawJson(json);
  }
}
