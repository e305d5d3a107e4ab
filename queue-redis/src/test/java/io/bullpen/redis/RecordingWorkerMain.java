package io.bullpen.redis;

import io.bullpen.Job;
import io.bullpen.Processor;
import io.bullpen.event.WorkerListener;
import io.bullpen.testkit.DirectRedis;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A worker process for the process-kill tests: it runs jobs for real, records each execution in Redis (a field
 * {@code <jobId> <worker name>:<run number>} of a run hash: written twice, should the client send it again after a
 * reconnect, it still counts once) and prints {@code started <jobId> <epoch ms>} before a run and
 * {@code done <jobId>} once the job is completed in Redis, so a test that SIGKILLs it knows which jobs it had in
 * flight. Arguments: Redis URI, queue name, run-counter key, worker name, concurrency, lock duration ms, stalled
 * interval ms, work per job ms.
 */
public final class RecordingWorkerMain {
  private RecordingWorkerMain() {}

  public static void main(String[] args) throws Exception {
    String uri = args[0];
    String queue = args[1];
    String runsKey = args[2];
    String name = args[3];
    int concurrency = Integer.parseInt(args[4]);
    Duration lock = Duration.ofMillis(Long.parseLong(args[5]));
    Duration stalledInterval = Duration.ofMillis(Long.parseLong(args[6]));
    long workMillis = Long.parseLong(args[7]);
    PrintStream out = System.out;
    RedisClusterCommands<String, String> redis = DirectRedis.connect(uri).sync(); // lives as long as this JVM
    AtomicLong runNumbers = new AtomicLong();
    Processor work = job -> {
      // Printed before the count: a kill in between leaves a start without a run, never a run without a start.
      print(out, "started " + job.id() + " " + System.currentTimeMillis());
      redis.hset(runsKey, job.id() + " " + name + ":" + runNumbers.incrementAndGet(), "1");
      Thread.sleep(workMillis);
      return null;
    };
    Worker worker = new Worker(queue, work, WorkerOptions.builder().redis(RedisConfig.of(uri)).name(name)
        .concurrency(concurrency)
        .locks(LockOptions.builder().duration(lock).build())
        // Jobs may be in flight on several killed workers in turn; none should fail for it.
        .stalled(StalledOptions.builder().interval(stalledInterval).maxCount(1_000).build())
        .build());
    worker.addListener(new WorkerListener() {
      @Override
      public void onCompleted(Job job, Object result) {
        print(out, "done " + job.id());
      }

      @Override
      public void onError(Throwable error) {
        print(out, "error " + error);
      }
    });
    print(out, "ready " + worker.id());
    Thread.sleep(Long.MAX_VALUE);
  }

  private static void print(PrintStream out, String line) {
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }
}
