package io.bullpen.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bullpen.FlowNode;
import io.bullpen.Job;
import io.bullpen.JobNode;
import io.bullpen.JobOptions;
import io.bullpen.redis.FlowProducer;
import io.bullpen.redis.FlowProducerOptions;
import io.bullpen.redis.QueueEvents;
import io.bullpen.redis.QueueEventsOptions;
import io.bullpen.redis.RedisConfig;
import io.bullpen.redis.Worker;
import io.bullpen.redis.WorkerOptions;
import io.bullpen.testkit.RedisLauncher;
import io.bullpen.testkit.RunningRedis;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The flows guide: a {@link FlowProducer} adds a book whose two chapters are child jobs in another queue; the
 * chapters are rendered, then the book's processor assembles what its children returned. Prints:
 *
 * <pre>
 * dune is WAITING_CHILDREN
 * dune returned {"title":"Dune","chapters":["chapter 1, rendered","chapter 2, rendered"]}
 * </pre>
 *
 * <p>Run it with {@code ./mvnw -q -DskipTests -pl examples -am package exec:java
 * -Dexec.mainClass=io.bullpen.examples.FlowsExample}.
 */
public final class FlowsExample {
  /** The parent job's data. */
  public record Book(String title) {}

  /** A child job's data. */
  public record Chapter(int number) {}

  /** The parent job's result. */
  public record Assembled(String title, List<String> chapters) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private FlowsExample() {}

  public static void main(String[] args) throws Exception {
    try (RunningRedis redis = RedisLauncher.start()) { // REDIS_URL when set, else a Redis started for this run
      run(redis.uri(), "books", "chapters", System.out);
    }
  }

  /**
   * Adds the book (job id {@code dune}) to queue {@code books} and its chapters to queue {@code chapters}, runs
   * both queues' workers until the book is done.
   */
  public static void run(String redisUri, String books, String chapters, PrintStream out) throws Exception {
    // region flow
    RedisConfig redis = RedisConfig.of(redisUri);   // e.g. "redis://127.0.0.1:6379"

    // region tree
    try (FlowProducer flows = new FlowProducer(FlowProducerOptions.of(redis))) {
      JobNode book = flows.add(FlowNode.builder("assemble", books)
          .data(new Book("Dune"))
          .options(JobOptions.builder().jobId("dune").build())
          .child(FlowNode.of("render", chapters, new Chapter(1)))
          .child(FlowNode.builder("render", chapters).data(new Chapter(2))
              .options(JobOptions.builder().failParentOnFailure(true).attempts(3).build())
              .build())
          .build());                                // the whole tree in one atomic call
      out.println(book.job().id() + " is " + book.state());   // "dune is WAITING_CHILDREN"; chapters WAITING
    }
    // endregion

    // Each queue has its own workers; the parent's processor reads what its children returned.
    WorkerOptions workerOptions = WorkerOptions.builder().redis(redis).build();
    try (Worker chapterWorker = new Worker(chapters, (Job job) -> render(job.data(Chapter.class)), workerOptions);
        Worker bookWorker = new Worker(books, (Job job) -> {
          Map<String, String> pages = job.getChildrenValues();   // "bull:chapters:<id>" -> child's result as JSON
          return assemble(job.data(Book.class), pages);
        }, workerOptions);
        QueueEvents events = new QueueEvents(books, QueueEventsOptions.builder().redis(redis).build())) {
      String result = events.waitUntilFinished("dune", Duration.ofSeconds(30)).get();
      out.println("dune returned " + result);
    }
    // endregion
  }

  /** Renders one chapter; the returned string becomes the child's result. */
  static String render(Chapter chapter) {
    return "chapter " + chapter.number() + ", rendered";
  }

  /** Puts the rendered chapters (JSON strings, keyed by child job) in order. */
  static Assembled assemble(Book book, Map<String, String> pages) throws JsonProcessingException {
    List<String> chapters = new ArrayList<>();
    for (String json : pages.values()) {
      chapters.add(JSON.readValue(json, String.class));
    }
    Collections.sort(chapters);
    return new Assembled(book.title(), chapters);
  }
}
