package io.bullpen.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.bullpen.Backoff;
import io.bullpen.Deduplication;
import io.bullpen.InvalidOptionException;
import io.bullpen.JobOptions;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.RedisConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OutboxOptionsTest {
  private static String field(Runnable build) {
    return assertThrows(InvalidOptionException.class, build::run).field();
  }

  @Test
  void tableNamesAreCheckedAtOnce() {
    assertEquals("app.outbox", OutboxOptions.builder().table("app.outbox").build().qualifiedTable());
    assertEquals("outbox", OutboxOptions.builder().table("app.outbox").build().tableName());
    for (String bad : new String[] {"", "Outbox", "a.b.c", "x;drop table y", "1abc", "a".repeat(49), "app."}) {
      assertEquals("table", field(() -> OutboxOptions.builder().table(bad)), bad);
    }
  }

  @Test
  void outboxJobsRefuseWhatCannotBeRelayedExactlyOnce() {
    assertEquals("options.deduplication", field(() -> OutboxJob.of("q", "n", null,
        JobOptions.builder().deduplication(Deduplication.of("d")).build())));
    assertEquals("options.parent", field(() -> OutboxJob.of("q", "n", null,
        JobOptions.builder().parent("bull:p", "1").build())));
    assertEquals("queueName", field(() -> OutboxJob.of("a:b", "n", null)));
    assertEquals("name", field(() -> OutboxJob.of("q", null, null)));
    assertEquals("orderingKey", field(() -> OutboxJob.of("q", "n", null).withOrderingKey("")));
    assertEquals("orderingKey", field(() -> OutboxJob.of("q", "n", null).withOrderingKey("k".repeat(513))));
  }

  @Test
  void relayOptionsAreCheckedAtOnceAndTogether() {
    OutboxRelayOptions.Builder b = OutboxRelayOptions.builder();
    assertEquals("batchSize", field(() -> b.batchSize(0)));
    assertEquals("concurrency", field(() -> b.concurrency(65)));
    assertEquals("lease", field(() -> b.lease(Duration.ofMillis(10))));
    assertEquals("maxAttempts", field(() -> b.maxAttempts(0)));
    assertEquals("retryBackoff", field(() -> b.retryBackoff(Backoff.custom("mine", 5))));
    assertEquals("idleBackoff.max", field(() -> b.idleBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1))));
    assertEquals("connections", field(b::build));
    b.connections(() -> null);
    assertEquals("queueOptions", field(b::build));
    b.queueOptions(QueueOptions.of(RedisConfig.of("redis://127.0.0.1:1")));
    b.lease(Duration.ofMinutes(20));
    assertEquals("deduplicationWindow", field(b::build));
    assertEquals(Duration.ofMinutes(30), b.deduplicationWindow(Duration.ofMinutes(30)).build().deduplicationWindow());
  }
}
