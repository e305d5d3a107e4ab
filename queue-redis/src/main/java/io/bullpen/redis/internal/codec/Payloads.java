package io.bullpen.redis.internal.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bullpen.BullpenException;
import io.bullpen.InvalidOptionException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The payload limit of one {@code RedisConfig} ({@code maxPayloadBytes}), applied on both sides so that whatever
 * Bullpen adds, a Bullpen worker with the same limit can read: adds refuse job data whose JSON is longer than the
 * limit in UTF-8 bytes (or than the job's own smaller {@code sizeLimit}), and reads accept JSON strings of up to
 * the limit in chars (a document of at most N bytes holds no string longer than N chars). Jackson's reader would
 * otherwise stop at its own default of 20,000,000 chars, whatever the producer wrote.
 */
public final class Payloads {
  /** The default limit: Jackson's default longest string, 20,000,000, so readers see no change by default. */
  public static final int DEFAULT_MAX_BYTES = 20_000_000;
  /** The largest limit: Redis keeps no string value longer than 512 MiB ({@code proto-max-bulk-len}). */
  public static final int LARGEST_MAX_BYTES = 512 * 1024 * 1024;

  private static final Map<Integer, Payloads> BY_LIMIT = new ConcurrentHashMap<>();
  private static final Payloads DEFAULTS = of(DEFAULT_MAX_BYTES);

  private final int maxBytes;
  private final ObjectMapper reader;

  private Payloads(int maxBytes) {
    this.maxBytes = maxBytes;
    this.reader = Json.MAPPER.copy();
    reader.getFactory().setStreamReadConstraints(
        StreamReadConstraints.builder().maxStringLength(maxBytes).build());
  }

  /** The payloads of limit {@code maxBytes}, shared by every config with that limit. */
  public static Payloads of(int maxBytes) {
    requireValidLimit(maxBytes);
    return BY_LIMIT.computeIfAbsent(maxBytes, Payloads::new);
  }

  public static Payloads defaults() {
    return DEFAULTS;
  }

  /**
   * Returns {@code maxBytes} when it is a valid limit: 1 to {@link #LARGEST_MAX_BYTES}.
   *
   * @throws InvalidOptionException naming {@code maxPayloadBytes} otherwise
   */
  public static int requireValidLimit(int maxBytes) {
    if (maxBytes < 1 || maxBytes > LARGEST_MAX_BYTES) {
      throw new InvalidOptionException("maxPayloadBytes", maxBytes, "must be between 1 and " + LARGEST_MAX_BYTES
          + " bytes (512 MiB, the longest string Redis keeps)");
    }
    return maxBytes;
  }

  public int maxBytes() {
    return maxBytes;
  }

  /**
   * Returns {@code json} when its UTF-8 form fits both this limit and {@code sizeLimit} (the job's own, null for
   * none).
   *
   * @throws InvalidOptionException naming {@code field} otherwise
   */
  public String requireWithin(String field, String json, Integer sizeLimit) {
    // Every char takes at least one byte: short texts need no counting.
    int limit = sizeLimit == null ? maxBytes : Math.min(sizeLimit, maxBytes);
    if (json.length() <= limit / 3) {
      return json;
    }
    long bytes = utf8Length(json);
    if (bytes > limit) {
      String which = sizeLimit != null && sizeLimit < maxBytes ? "sizeLimit " + sizeLimit
          : "maxPayloadBytes " + maxBytes + " (what a worker reads; raise it in RedisConfig on both sides)";
      throw new InvalidOptionException(field, json, "is " + bytes + " bytes of JSON, more than " + which);
    }
    return json;
  }

  /** Reads {@code json} as {@code type}, accepting strings up to the limit. */
  public <T> T read(String json, Class<T> type, String what) {
    try {
      return reader.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new BullpenException("cannot read " + what + " as " + type.getName() + ": " + e.getOriginalMessage(), e);
    }
  }

  /** The UTF-8 length of {@code text} (an unpaired surrogate, escaped before storing, counts as 3). */
  static long utf8Length(String text) {
    long bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}
