package io.bullpen.config;

import io.bullpen.QueueNames;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.RedisConfig;
import java.util.List;

/**
 * The {@code [queue]} table: what every queue a program opens shares, the key prefix first.
 *
 * @param prefix the key prefix, {@code bull} by default (a {@code {hash tag}} on a cluster)
 * @param maxLenEvents the approximate cap of each queue's event stream
 */
public record QueueSettings(String prefix, int maxLenEvents) {
  public static final Setting<String> PREFIX = Setting.string("prefix", QueueOptions.DEFAULT_PREFIX)
      .doc("key prefix: keys are <prefix>:<queue>:<suffix>");
  public static final Setting<Integer> MAX_LEN_EVENTS = Setting.integer("max_len_events",
      QueueOptions.DEFAULT_MAX_LEN_EVENTS, 0, Integer.MAX_VALUE).doc("approximate length cap of the events stream");

  /** {@code [queue]}. */
  public static final ConfigSection<QueueSettings> SECTION = ConfigSection.of("queue", List.of(PREFIX, MAX_LEN_EVENTS),
      v -> {
        String prefix = v.get(PREFIX);
        try {
          QueueNames.requireValidPrefix(prefix);
        } catch (io.bullpen.InvalidOptionException e) {
          throw v.reject(PREFIX, e.getMessage());
        }
        return new QueueSettings(prefix, v.get(MAX_LEN_EVENTS));
      });

  /** Queue options on {@code redis} with these settings. */
  public QueueOptions queueOptions(RedisConfig redis) {
    return QueueOptions.builder().redis(redis).prefix(prefix).maxLenEvents(maxLenEvents).build();
  }
}
