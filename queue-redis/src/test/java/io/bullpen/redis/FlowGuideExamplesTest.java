package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bullpen.FlowNode;
import io.bullpen.Job;
import io.bullpen.JobNode;
import io.bullpen.JobOptions;
import io.bullpen.JobState;
import io.bullpen.Processor;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The examples of README.md and docs/flows.md, run as written (queue names made unique). */
@RedisTest
class FlowGuideExamplesTest {
  record Book(String title) {}

  record Chapter(int number) {}

  private FlowFixture f;

  @BeforeEach
  void open(RunningRedis redis) {
    f = new FlowFixture(redis);
  }

  @AfterEach
  void close() {
    f.close();
  }

  private static String render(Chapter chapter) {
    return "chapter " + chapter.number();
  }

  private static String assemble(Book book, Map<String, String> pages) {
    return book.title() + ": " + pages.values().stream().sorted().toList();
  }

  @Test
  void theBookExampleAssemblesRenderedChapters() {
    String books = f.parents;
    String chapters = f.children;
    RedisConfig redis = f.redis();

    try (FlowProducer flows = new FlowProducer(FlowProducerOptions.of(redis))) {
      JobNode book = flows.add(FlowNode.builder("assemble", books)
          .data(new Book("Dune"))
          .options(JobOptions.builder().jobId("dune").build())
          .child(FlowNode.of("render", chapters, new Chapter(1)))
          .child(FlowNode.builder("render", chapters).data(new Chapter(2))
              .options(JobOptions.builder().failParentOnFailure(true).attempts(3).build())
              .build())
          .build());
      assertEquals("dune", book.job().id());
      assertEquals(JobState.WAITING_CHILDREN, book.state());
    }
    WorkerOptions workerOptions = WorkerOptions.builder().redis(redis).build();
    try (Worker chapterWorker = new Worker(chapters, (Job job) -> render(job.data(Chapter.class)), workerOptions);
        Worker bookWorker = new Worker(books, (Job job) -> assemble(job.data(Book.class), job.getChildrenValues()),
            workerOptions)) {
      f.awaitState(books, "dune", JobState.COMPLETED);
    }
    assertEquals("\"Dune: [\\\"chapter 1\\\", \\\"chapter 2\\\"]\"", f.hash(books, "dune").get("returnvalue"));
  }

  @Test
  void theBossExampleSplitsWaitsAndMerges() {
    Queue chunks = f.queue(f.children);
    Processor boss = job -> {
      if (job.getDependenciesCount().total() == 0) {
        for (int chunk : List.of(1, 2, 3)) {
          chunks.add("chunk", Map.of("n", chunk), JobOptions.builder().parent(job).build());
        }
        if (job.moveToWaitingChildren()) {
          return null;
        }
      }
      return job.getChildrenValues().size();
    };
    f.worker(f.parents, boss);
    f.worker(f.children, job -> job.data(Map.class).get("n"));
    f.queue(f.parents).add("boss", Map.of(), JobOptions.builder().jobId("boss").build());
    f.awaitState(f.parents, "boss", JobState.COMPLETED);
    assertEquals("3", f.hash(f.parents, "boss").get("returnvalue"));
  }
}
