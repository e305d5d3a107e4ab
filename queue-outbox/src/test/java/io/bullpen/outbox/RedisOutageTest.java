package io.bullpen.outbox;

import static io.bullpen.outbox.OutboxFixture.await;
import static io.bullpen.outbox.OutboxFixture.jobCount;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bullpen.redis.Queue;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.RedisConfig;
import io.bullpen.testkit.RedisLauncher;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Redis goes away while rows pile up in the outbox, and comes back: every row becomes a job, none is parked. */
@RedisTest
class RedisOutageTest {
  @Test
  void rowsWrittenWhileRedisIsDownAreRelayedOnceItIsBackWithoutCountingAttempts() {
    try (RunningRedis redis = RedisLauncher.startEmbedded()) {
      OutboxFixture f = new OutboxFixture(redis.uri());
      try {
        RecordingListener listener = new RecordingListener();
        QueueOptions fastFailing = QueueOptions.of(RedisConfig.builder().uri(redis.uri())
            .commandTimeout(Duration.ofSeconds(1)).build());
        f.closeLater(OutboxRelay.start(f.relayOptions().queueOptions(fastFailing).maxAttempts(2)
            .errorBackoff(Duration.ofMillis(50), Duration.ofMillis(400)).listener(listener).build()));
        f.commit(f.job("before"));
        Queue before = f.queue();
        await(Duration.ofSeconds(30), "the first row is relayed", () -> jobCount(before) == 1, f::rows);
        before.close();

        redis.stopServer();
        List<Long> ids = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          List<OutboxJob> jobs = new ArrayList<>();
          for (int i = 0; i < 50; i++) {
            jobs.add(f.job(t * 50 + i));
          }
          ids.addAll(f.commit(jobs));
        }
        await(Duration.ofSeconds(30), "the relay notices Redis is gone", () -> listener.redisUnavailable >= 3,
            () -> listener.redisUnavailable);
        assertEquals(200, f.rows());
        assertEquals(0, f.count("SELECT count(*) FROM " + f.options.qualifiedTable()
            + " WHERE attempts > 0 OR parked_at IS NOT NULL"), "an unreachable Redis is no row's fault");

        redis.startServer();
        Queue after = f.queue();
        await(Duration.ofSeconds(60), "the rows are relayed once Redis is back",
            () -> f.rows() == 0 && jobCount(after) == 200, () -> f.rows() + " rows, " + jobCount(after) + " jobs");
        assertEquals(List.of(), listener.parked);
      } finally {
        f.close();
      }
    }
  }
}
