package io.bullpen.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.bullpen.Job;
import io.bullpen.JobState;
import io.bullpen.redis.Queue;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.RedisConfig;
import io.bullpen.testkit.NodeBullmq;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Needs Node and npm (BullMQ is installed in {@code examples/node} on first use). Skipped without them, unless
 * {@code BULLPEN_REQUIRE_NODE=1} (set by {@code .ci/run}), which makes a missing Node a failure.
 */
@RedisTest
class NodeProducerExampleTest {
  private static final List<String> IMAGES = List.of("cat.jpg", "dog.jpg", "owl.jpg");

  @Test
  void theJavaWorkerRunsTheJobsNodeAdded(RunningRedis redis) throws Exception {
    NodeBullmq node = new NodeBullmq(NodeProducerExample.nodeDirectory());
    boolean available = node.isAvailable();
    if ("1".equals(System.getenv("BULLPEN_REQUIRE_NODE"))) {
      assertTrue(available, "BULLPEN_REQUIRE_NODE=1 but node/npm with BullMQ is not available");
    }
    assumeTrue(available, "Skipped: node and npm are needed to install and run BullMQ in examples/node");
    String queueName = Printed.uniqueQueueName("node");
    Printed printed = new Printed();

    NodeProducerExample.run(redis.uri(), queueName, node, printed.stream());

    List<String> lines = printed.lines();
    try (Queue queue = new Queue(queueName, QueueOptions.of(RedisConfig.of(redis.uri())))) {
      for (int i = 0; i < IMAGES.size(); i++) {
        String id = String.valueOf(i + 1);
        String image = IMAGES.get(i);
        Job job = queue.getJob(id).orElseThrow();
        assertEquals(JobState.COMPLETED, job.state());
        assertEquals("resize", job.name());
        assertEquals(3, job.options().attempts(), "the options Node gave");
        assertEquals(new NodeProducerExample.Resized("thumbs/" + image, 200),
            job.returnValue(NodeProducerExample.Resized.class).orElseThrow());
        assertTrue(lines.contains("node: added job " + id + ": " + image), "printed: " + lines);
        assertTrue(lines.contains("job " + id + " (resize) done: Resized[thumbnail=thumbs/" + image
            + ", width=200]"), "printed: " + lines);
      }
    }
    assertEquals(6, Set.copyOf(lines).size(), "printed: " + lines);
  }
}
