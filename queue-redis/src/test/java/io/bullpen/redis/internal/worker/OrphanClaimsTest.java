package io.bullpen.redis.internal.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.bullpen.redis.internal.keys.QueueKeys;
import io.bullpen.redis.internal.script.ScriptRunner;
import io.bullpen.redis.internal.settle.WorkerScripts;
import io.bullpen.testkit.DirectRedis;
import io.bullpen.testkit.QueueNames;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A fetch whose reply the worker never saw leaves jobs locked for nobody: the sweep finds them by the suspected
 * token and gives them back to wait without using an attempt, and leaves the worker's own jobs alone.
 */
@RedisTest
class OrphanClaimsTest {
  @Test
  void jobsLockedWithASuspectedTokenGoBackToWaitAndTheWorkersOwnJobsStay(RunningRedis server) {
    String queue = QueueNames.unique("q");
    QueueKeys keys = new QueueKeys("bull", queue);
    try (DirectRedis direct = DirectRedis.connect(server)) {
      RedisClusterCommands<String, String> redis = direct.sync();
      for (String id : List.of("1", "2")) {
        redis.hset(keys.jobKey(id), "name", "job");
        redis.hset(keys.jobKey(id), "opts", "{}");
        redis.hset(keys.jobKey(id), "timestamp", "1");
        redis.lpush(keys.waitList(), id);
      }
      WorkerScripts scripts = new WorkerScripts(keys, new ScriptRunner(direct.async()), 5_000, 30_000, null,
          "w");
      LockRenewer renewer = new LockRenewer(scripts, 30_000, 15_000, e -> { }, e -> { }, "test-locks");
      try {
        String lost = scripts.moveToActive("w:1", System.currentTimeMillis()).jobId();   // its reply "lost"
        String mine = scripts.moveToActive("w:2", System.currentTimeMillis()).jobId();
        renewer.track(mine, "w:2");
        OrphanClaims orphans = new OrphanClaims(scripts, renewer, 30_000, new WorkerEvents(queue));
        orphans.suspect("w:1");
        orphans.suspect("w:2");   // even a suspected token leaves a job the worker tracks alone

        orphans.sweep();

        assertEquals(List.of(lost), redis.lrange(keys.waitList(), 0, -1));
        assertNull(redis.get(keys.jobKey(lost) + ":lock"));
        assertNull(redis.hget(keys.jobKey(lost), "atm"), "no attempt used");
        assertEquals(List.of(mine), redis.lrange(keys.active(), 0, -1));
        assertEquals("w:2", redis.get(keys.jobKey(mine) + ":lock"));
      } finally {
        renewer.close();
      }
    }
  }
}
