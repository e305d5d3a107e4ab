package io.bullpen.redis.internal.admin;

import io.bullpen.redis.internal.keys.QueueKeys;
import io.bullpen.redis.internal.script.QueueScripts;

/** BullMQ 6's deduplication owner keys {@code de:<id>}: which job owns an id, and freeing an id. */
public final class Deduplications {
  private final QueueScripts scripts;
  private final QueueKeys keys;

  public Deduplications(QueueScripts scripts) {
    this.scripts = scripts;
    this.keys = scripts.keys();
  }

  public String deduplicationOwner(String deduplicationId) {
    return scripts.await(scripts.runner().commands().get(keys.deduplication(deduplicationId)), "GET de");
  }

  public boolean removeDeduplicationKey(String deduplicationId) {
    return scripts.await(scripts.runner().commands().del(keys.deduplication(deduplicationId)), "DEL de") > 0;
  }
}
