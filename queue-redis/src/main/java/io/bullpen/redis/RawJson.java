package io.bullpen.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.bullpen.InvalidOptionException;
import io.bullpen.redis.internal.codec.Json;

/**
 * JSON text to be stored as job data (or a result) exactly as given, for callers that already hold JSON (an
 * unpaired UTF-16 surrogate, which UTF-8 cannot hold, is stored as its escape and reads back the same).
 *
 * @param json exactly one JSON value, as Node's {@code JSON.parse} reads it (nothing after it)
 */
public record RawJson(String json) {
  public RawJson {
    if (json == null) {
      throw new InvalidOptionException("data", null, "raw JSON must not be null");
    }
    try {
      Json.parse(json);
    } catch (JsonProcessingException e) {
      throw new InvalidOptionException("data", json, "is not valid JSON: " + e.getOriginalMessage());
    }
  }

  public static RawJson of(String json) {
    return new RawJson(json);
  }
}
