package io.bullpen.examples;

import io.bullpen.Job;
import io.bullpen.Processor;
import io.bullpen.event.WorkerListener;
import io.bullpen.redis.RedisConfig;
import io.bullpen.redis.Worker;
import io.bullpen.redis.WorkerOptions;
import io.bullpen.testkit.NodeBullmq;
import io.bullpen.testkit.RedisLauncher;
import io.bullpen.testkit.RunningRedis;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A Java worker next to a Node.js producer: {@code examples/node/producer.mjs} adds three jobs with the real
 * BullMQ 6, and a Bullpen {@link Worker} runs them, reading the data BullMQ wrote. Prints, for instance:
 *
 * <pre>
 * node: added job 1: cat.jpg
 * ...
 * job 1 (resize) done: Resized[thumbnail=thumbs/cat.jpg, width=200]
 * </pre>
 *
 * <p>Needs Node 20 and npm; the BullMQ version is pinned in {@code examples/node/package-lock.json} and installed
 * on first use. Run it with {@code ./mvnw -q -DskipTests -pl examples -am package exec:java
 * -Dexec.mainClass=io.bullpen.examples.NodeProducerExample}.
 */
public final class NodeProducerExample {
  /** Where the Node project lives, relative to the repository root. */
  public static final String NODE_DIRECTORY = "examples/node";

  // region data
  /** The data the Node producer adds: {@code { image, width }}. Jackson maps the JSON fields by name. */
  public record Resize(String image, int width) {}

  /** The result; Node reads it back as {@code job.returnvalue}, a plain object. */
  public record Resized(String thumbnail, int width) {}
  // endregion

  private NodeProducerExample() {}

  public static void main(String[] args) throws Exception {
    NodeBullmq node = new NodeBullmq(nodeDirectory());
    if (!node.isAvailable()) {
      System.err.println("This example needs node and npm on the PATH (it installs BullMQ in " + NODE_DIRECTORY + ")");
      System.exit(1);
    }
    try (RunningRedis redis = RedisLauncher.start()) { // REDIS_URL when set, else a Redis started for this run
      run(redis.uri(), "images", node, System.out);
    }
  }

  /**
   * Runs a Java worker on queue {@code queueName} while {@code node} runs {@code producer.mjs} against the same
   * Redis; returns once the worker has completed the three jobs Node added.
   */
  public static void run(String redisUri, String queueName, NodeBullmq node, PrintStream out)
      throws InterruptedException {
    CountDownLatch done = new CountDownLatch(3);
    // region worker
    Processor resize = job -> {
      Resize request = job.data(Resize.class);          // the object Node passed to queue.add
      return new Resized("thumbs/" + request.image(), request.width());
    };
    WorkerOptions options = WorkerOptions.builder().redis(RedisConfig.of(redisUri)).build();
    try (Worker worker = new Worker(queueName, resize, options)) {
      worker.addListener(new WorkerListener() {
        @Override
        public void onCompleted(Job job, Object result) {
          out.println("job " + job.id() + " (" + job.name() + ") done: " + result);
          done.countDown();
        }
      });
      // Node adds the jobs: here through the test kit's runner, in production from any Node process at any time.
      List<String> added = node.run("producer.mjs", Map.of("REDIS_URL", redisUri, "QUEUE", queueName),
          Duration.ofSeconds(30));
      added.forEach(line -> out.println("node: " + line));
      if (!done.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the Java worker did not finish Node's jobs within 30 s");
      }
    }
    // endregion
  }

  /** {@value #NODE_DIRECTORY}, found by walking up from the working directory. */
  public static Path nodeDirectory() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(NODE_DIRECTORY);
      if (Files.isRegularFile(candidate.resolve("package.json"))) {
        return candidate;
      }
    }
    throw new IllegalStateException(NODE_DIRECTORY + " not found above " + Path.of("").toAbsolutePath());
  }
}
