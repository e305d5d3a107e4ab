package io.bullpen.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.JobState;
import io.bullpen.examples.BatchWorkerExample.Row;
import io.bullpen.redis.Queue;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.RedisConfig;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@RedisTest
class BatchWorkerExampleTest {
  @Test
  void validRowsAreInsertedInBatchesAndNegativeOnesFail(RunningRedis redis) throws Exception {
    String queueName = Printed.uniqueQueueName("batch");
    Printed printed = new Printed();

    BatchWorkerExample.Result result = BatchWorkerExample.run(redis.uri(), queueName, 200, printed.stream());

    List<Row> inserted = result.inserts().stream().flatMap(List::stream).toList();
    assertEquals(190, inserted.size());
    assertTrue(inserted.stream().allMatch(row -> row.amount() >= 0), "only valid rows are inserted");
    assertTrue(result.inserts().stream().allMatch(batch -> batch.size() <= 50), "batches of at most 50 jobs");
    assertTrue(result.inserts().size() < 20, "rows go in batches, not one by one: " + result.inserts().size());
    assertEquals(10, result.failed());
    assertEquals(List.of("190 rows inserted in " + result.inserts().size() + " round trips; 10 rows failed"),
        printed.lines());
    try (Queue queue = new Queue(queueName, QueueOptions.of(RedisConfig.of(redis.uri())))) {
      assertEquals(Map.of(JobState.COMPLETED, 190L, JobState.FAILED, 10L),
          queue.getJobCounts(JobState.COMPLETED, JobState.FAILED));
      assertEquals("negative amount in row 20", queue.getJob("20").orElseThrow().failedReason().orElseThrow());
    }
  }
}
