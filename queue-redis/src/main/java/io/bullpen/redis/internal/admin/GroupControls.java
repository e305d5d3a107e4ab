package io.bullpen.redis.internal.admin;

import io.bullpen.GroupLimits;
import io.bullpen.InvalidOptionException;
import io.bullpen.JobOptions;
import io.bullpen.Limiter;
import io.bullpen.redis.internal.keys.QueueKeys;
import io.bullpen.redis.internal.script.Call;
import io.bullpen.redis.internal.script.QueueScripts;
import io.lettuce.core.KeyValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Group limits (hashes {@code bp:g:<group>:limits} and {@code bp:groups:defaults}, read by the fetch script). */
public final class GroupControls {
  private final QueueScripts scripts;
  private final QueueKeys keys;

  public GroupControls(QueueScripts scripts) {
    this.scripts = scripts;
    this.keys = scripts.keys();
  }

  private String limitsKey(String groupId) {
    return keys.groupLimits(groupId == null ? null : JobOptions.validateRouteName("groupId", groupId));
  }

  /** Sets the limits of {@code groupId}, or the defaults of every group without its own when null. */
  public Call<Void> set(String groupId, GroupLimits limits) {
    if (limits == null) {
      throw new InvalidOptionException("limits", null, "must not be null (use removeGroupLimits)");
    }
    String key = limitsKey(groupId);
    Map<String, String> fields = new LinkedHashMap<>();
    limits.rateLimit().ifPresent(l -> {
      fields.put("max", Integer.toString(l.max()));
      fields.put("duration", Long.toString(l.durationMillis()));
    });
    limits.maxConcurrency().ifPresent(c -> fields.put("concurrency", Integer.toString(c)));
    return scripts.call("setGroupLimits", () -> scripts.commands().del(key).toCompletableFuture()
        .thenCompose(deleted -> scripts.commands().hset(key, fields))).map(set -> null);
  }

  public Call<Void> remove(String groupId) {
    String key = limitsKey(groupId);
    return scripts.call("removeGroupLimits", () -> scripts.commands().del(key)).map(removed -> null);
  }

  public Call<Optional<GroupLimits>> get(String groupId) {
    String key = limitsKey(groupId);
    return scripts.call("getGroupLimits", () -> scripts.commands().hmget(key, "max", "duration", "concurrency"))
        .map(GroupControls::limits);
  }

  /** Jobs of the group waiting for their turn. */
  public Call<Long> waitingCount(String groupId) {
    String key = keys.groupWait(JobOptions.validateRouteName("groupId", groupId));
    return scripts.call("getGroupWaitingCount", () -> scripts.commands().llen(key));
  }

  private static Optional<GroupLimits> limits(List<KeyValue<String, String>> values) {
    String max = values.get(0).getValueOrElse(null);
    String duration = values.get(1).getValueOrElse(null);
    String concurrency = values.get(2).getValueOrElse(null);
    Limiter rate = max != null && duration != null ? new Limiter(Integer.parseInt(max), Long.parseLong(duration)) : null;
    Integer most = concurrency != null ? Integer.valueOf(concurrency) : null;
    return rate == null && most == null ? Optional.empty() : Optional.of(new GroupLimits(rate, most));
  }
}
