package io.bullpen.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bullpen.JobState;
import io.bullpen.redis.Queue;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.RedisConfig;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@RedisTest
class ServerEmbeddingExampleTest {
  @Test
  void aJobAddedOverHttpIsInTheQueue(RunningRedis redis) throws Exception {
    String prefix = "embed" + UUID.randomUUID().toString().substring(0, 8);
    Printed printed = new Printed();

    ServerEmbeddingExample.run(redis.uri(), prefix, printed.stream());

    assertEquals(List.of("server on http://127.0.0.1:PORT", "POST /api/v1/queues/mail/jobs: 201",
        "GET /api/v1/queues/mail: 200, 1 waiting"), printed.lines());
    try (Queue queue = new Queue("mail", QueueOptions.builder().redis(RedisConfig.of(redis.uri())).prefix(prefix)
        .build())) {
      assertEquals("{\"to\":\"ann@example.com\"}", queue.getJobs(java.util.Set.of(JobState.WAITING), 0, 0, true)
          .get(0).dataJson());
      queue.obliterate(true);
    }
  }
}
