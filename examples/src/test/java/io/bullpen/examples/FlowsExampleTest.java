package io.bullpen.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bullpen.JobState;
import io.bullpen.redis.Queue;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.RedisConfig;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.util.List;
import org.junit.jupiter.api.Test;

@RedisTest
class FlowsExampleTest {
  @Test
  void theBookIsAssembledFromWhatItsChaptersReturned(RunningRedis redis) throws Exception {
    String books = Printed.uniqueQueueName("books");
    String chapters = Printed.uniqueQueueName("chapters");
    Printed printed = new Printed();

    FlowsExample.run(redis.uri(), books, chapters, printed.stream());

    String expected = "{\"title\":\"Dune\",\"chapters\":[\"chapter 1, rendered\",\"chapter 2, rendered\"]}";
    assertEquals(List.of("dune is WAITING_CHILDREN", "dune returned " + expected), printed.lines());
    try (Queue bookQueue = new Queue(books, QueueOptions.of(RedisConfig.of(redis.uri())));
        Queue chapterQueue = new Queue(chapters, QueueOptions.of(RedisConfig.of(redis.uri())))) {
      assertEquals(new FlowsExample.Assembled("Dune", List.of("chapter 1, rendered", "chapter 2, rendered")),
          bookQueue.getJob("dune").orElseThrow().returnValue(FlowsExample.Assembled.class).orElseThrow());
      assertEquals(2L, chapterQueue.getJobCounts(JobState.COMPLETED).get(JobState.COMPLETED));
    }
  }

  @Test
  void theWordCountAddsChildrenFromItsProcessorAndSumsThem(RunningRedis redis) throws Exception {
    String documents = Printed.uniqueQueueName("documents");
    String chunks = Printed.uniqueQueueName("chunks");
    Printed printed = new Printed();

    long words = ChildJobsExample.run(redis.uri(), documents, chunks, printed.stream());

    assertEquals(11, words);
    assertEquals(List.of("document counted: 11 words"), printed.lines());
    try (Queue queue = new Queue(chunks, QueueOptions.of(RedisConfig.of(redis.uri())))) {
      assertEquals(3L, queue.getJobCounts(JobState.COMPLETED).get(JobState.COMPLETED), "one child per line");
    }
  }
}
