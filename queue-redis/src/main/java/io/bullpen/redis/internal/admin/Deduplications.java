package io.bullpen.redis.internal.admin;

import io.bullpen.InvalidOptionException;
import io.bullpen.redis.internal.keys.QueueKeys;
import io.bullpen.redis.internal.script.Call;
import io.bullpen.redis.internal.script.QueueScripts;
import java.util.Optional;

/** BullMQ 6's deduplication owner keys {@code de:<id>}: which job owns an id, and freeing an id. */
public final class Deduplications {
  private final QueueScripts scripts;
  private final QueueKeys keys;

  public Deduplications(QueueScripts scripts) {
    this.scripts = scripts;
    this.keys = scripts.keys();
  }

  public Call<Optional<String>> owner(String deduplicationId) {
    String key = keys.deduplication(requireId(deduplicationId));
    return scripts.call("getDeduplicationJobId", () -> scripts.commands().get(key)).map(Optional::ofNullable);
  }

  /** Frees the id; answers whether a job owned it. */
  public Call<Boolean> remove(String deduplicationId) {
    String key = keys.deduplication(requireId(deduplicationId));
    return scripts.call("removeDeduplicationKey", () -> scripts.commands().del(key)).map(n -> n > 0);
  }

  private static String requireId(String deduplicationId) {
    if (deduplicationId == null || deduplicationId.isEmpty()) {
      throw new InvalidOptionException("deduplicationId", deduplicationId, "must be a non-empty string");
    }
    return deduplicationId;
  }
}
