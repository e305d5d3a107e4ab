package io.bullpen.redis;

import io.bullpen.JobSpec;
import io.bullpen.testkit.DirectRedis;
import io.bullpen.testkit.NodeBullmq;
import io.bullpen.testkit.QueueNames;
import io.bullpen.testkit.RunningRedis;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One process-kill scenario: a Redis process of the run's own, a queue of short jobs and several
 * {@link RecordingWorkerMain} JVMs, one of which the test SIGKILLs now and then and replaces. Afterwards
 * {@link ProcessKillCheck} checks what Redis and the workers' transcripts say, and {@link RecoveryDelays} measures
 * how long each killed job took to run again.
 */
final class ProcessKillRun implements AutoCloseable {
  static final NodeBullmq NODE = new NodeBullmq();

  /**
   * The run's shape; each value can be set with a system property {@code processKill.<name>}. {@code nodeWorkers}
   * of the {@code workers} are BullMQ workers (interop/node/recording-worker.mjs), and a killed worker is replaced
   * by one of its kind.
   */
  record Settings(int workers, int nodeWorkers, int concurrency, int jobs, int kills, long lockMillis,
      long stalledMillis, long workMillis) {
    static Settings fromSystemProperties() {
      return new Settings(intProperty("workers", 3), intProperty("nodeWorkers", 0), intProperty("concurrency", 4),
          intProperty("jobs", 3_000), intProperty("kills", 6), intProperty("lockMillis", 2_000),
          intProperty("stalledMillis", 2_000), intProperty("workMillis", 60));
    }

    private static int intProperty(String name, int fallback) {
      return Integer.parseInt(System.getProperty("processKill." + name, Integer.toString(fallback)));
    }
  }

  /** One worker process (a JVM, or Node with BullMQ): its transcript, and when the test killed it mid-run. */
  static final class WorkerJvm {
    final String name;
    final boolean node;
    final ChildJvm jvm;
    /** -1 unless the test killed it mid-run. */
    long killedAtMillis = -1;

    WorkerJvm(String name, boolean node, ChildJvm jvm) {
      this.name = name;
      this.node = node;
      this.jvm = jvm;
    }

    boolean killedMidRun() {
      return killedAtMillis >= 0;
    }

    /** Jobs it printed {@code started} for and not {@code done}, in the order started. */
    Set<String> inFlight() {
      Set<String> open = new LinkedHashSet<>();
      for (String line : jvm.transcript()) {
        String[] words = line.split(" ");
        if (words[0].equals("started")) {
          open.add(words[1]);
        } else if (words[0].equals("done")) {
          open.remove(words[1]);
        }
      }
      return open;
    }

    /** Every processor start it printed, in order. */
    List<Start> starts() {
      List<Start> starts = new ArrayList<>();
      for (String line : jvm.transcript()) {
        String[] words = line.split(" ");
        if (words[0].equals("started")) {
          starts.add(new Start(words[1], Long.parseLong(words[2]), this));
        }
      }
      return starts;
    }

    /** The jobs whose completion it heard of ({@code done}), each as often as heard. */
    List<String> done() {
      return jvm.transcript().stream().filter(line -> line.startsWith("done ")).map(line -> line.substring(5))
          .toList();
    }

    @Override
    public String toString() {
      return name + (node ? " (BullMQ)" : "") + (killedMidRun() ? " (killed)" : "");
    }
  }

  /** One processor start: which job, when (epoch ms, the worker's clock: the same host's) and where. */
  record Start(String jobId, long atMillis, WorkerJvm worker) {}

  /** Every start of every worker, by job, oldest first. */
  Map<String, List<Start>> startsByJob() {
    Map<String, List<Start>> byJob = new TreeMap<>();
    for (WorkerJvm worker : workers) {
      worker.starts().forEach(start -> byJob.computeIfAbsent(start.jobId(), id -> new ArrayList<>()).add(start));
    }
    byJob.values().forEach(list -> list.sort(java.util.Comparator.comparingLong(Start::atMillis)));
    return byJob;
  }

  final Settings settings;
  /** The shared test Redis (single server or cluster); not ours to close. */
  final RunningRedis redis;
  final String queueName = QueueNames.unique("kill");
  /** A hash outside the queue's keys: job id → how often a processor started it. */
  final String runsKey = "process-kill-runs:" + queueName;
  final List<String> ids = new ArrayList<>();
  final List<WorkerJvm> workers = new ArrayList<>();
  private final Queue queue;
  private final DirectRedis direct;

  ProcessKillRun(RunningRedis redis, Settings settings) {
    this.redis = redis;
    this.settings = settings;
    // Room for every event of every job (about six each), so the check sees one completed event per job.
    this.queue = new Queue(queueName, QueueOptions.builder().redis(RedisConfig.of(redis.uri()))
        .maxLenEvents(settings.jobs() * 40).build());
    this.direct = DirectRedis.connect(redis);
  }

  RedisClusterCommands<String, String> raw() {
    return direct.sync();
  }

  String key(String suffix) {
    return "bull:" + queueName + ":" + suffix;
  }

  void addJobs() {
    addJobs(settings.jobs());
  }

  /** Adds {@code count} more jobs; {@link #ids} lists every job added. */
  void addJobs(int count) {
    int end = ids.size() + count;
    for (int first = ids.size(); first < end; first += 500) {
      List<JobSpec> specs = new ArrayList<>();
      for (int i = first; i < Math.min(first + 500, end); i++) {
        specs.add(JobSpec.of("job", Map.of("n", i)));
      }
      queue.addBulk(specs).forEach(job -> ids.add(job.id()));
    }
  }

  /** Starts the first workers: the Java ones, then the BullMQ ones. */
  void startWorkers() throws InterruptedException {
    for (int i = 0; i < settings.workers(); i++) {
      startWorker(i >= settings.workers() - settings.nodeWorkers());
    }
  }

  WorkerJvm startWorker(boolean node) throws InterruptedException {
    String name = "w" + (workers.size() + 1);
    ChildJvm jvm;
    if (node) {
      jvm = ChildJvm.node(NODE.directory().orElseThrow(), "recording-worker.mjs", Map.of("REDIS_URL", redis.uri(),
          "QUEUE", queueName, "RUNS_KEY", runsKey, "NAME", name,
          "CONCURRENCY", Integer.toString(settings.concurrency()), "LOCK_MS", Long.toString(settings.lockMillis()),
          "STALLED_MS", Long.toString(settings.stalledMillis()), "WORK_MS", Long.toString(settings.workMillis())));
    } else {
      jvm = ChildJvm.start(RecordingWorkerMain.class, redis.uri(), queueName, runsKey, name,
          Integer.toString(settings.concurrency()), Long.toString(settings.lockMillis()),
          Long.toString(settings.stalledMillis()), Long.toString(settings.workMillis()));
    }
    WorkerJvm worker = new WorkerJvm(name, node, jvm);
    workers.add(worker);
    jvm.await("ready", 120);
    return worker;
  }

  List<WorkerJvm> live() {
    return workers.stream().filter(w -> !w.killedMidRun() && w.jvm.isAlive()).toList();
  }

  /**
   * SIGKILLs the oldest live worker once it has a job in flight (a start without its completion), then starts a
   * replacement and waits until it is ready.
   */
  WorkerJvm killOneMidJobAndReplace() throws InterruptedException {
    WorkerJvm victim = live().get(0);
    // On a loaded machine the others may finish every job while a replacement JVM starts: then more work comes,
    // so that the victim gets a job to be killed in.
    WorkerFixture.await(Duration.ofSeconds(60), () -> {
      if (!victim.inFlight().isEmpty()) {
        return true;
      }
      if (raw().llen(key("wait")) == 0) {
        addJobs(settings.concurrency() * settings.workers());
      }
      return false;
    }, () -> victim.name + " has a job in flight (" + completed() + " of " + ids.size() + " jobs completed, "
        + raw().llen(key("wait")) + " waiting)");
    victim.killedAtMillis = System.currentTimeMillis();
    victim.jvm.kill();
    startWorker(victim.node);
    return victim;
  }

  long completed() {
    return raw().zcard(key("completed"));
  }

  void awaitCompleted(long count, Duration timeout) {
    WorkerFixture.await(timeout, () -> completed() >= count,
        () -> completed() + " of " + count + " jobs completed; " + raw().llen(key("active")) + " active, "
            + raw().llen(key("wait")) + " waiting");
  }

  /** What the workers recorded and printed about one job, and its hash: for failure messages. */
  String story(String jobId) {
    StringBuilder story = new StringBuilder("runs recorded: ");
    raw().hkeys(runsKey).stream().filter(run -> run.startsWith(jobId + " ")).forEach(run -> story.append(run).append("; "));
    for (WorkerJvm worker : workers) {
      List<String> lines = worker.jvm.transcript();
      story.append(worker).append(" (").append(lines.size()).append(" lines):");
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        if (line.contains(" " + jobId + " ") || line.endsWith(" " + jobId) || !line.startsWith("started ")
            && !line.startsWith("done ")) {
          story.append(" [").append(i).append("] ").append(line);
        }
      }
      story.append("; ");
    }
    return story.append("hash ").append(raw().hgetall(key(jobId))).toString();
  }

  /** Job id → processor runs, as the workers recorded them in Redis (one field per run). */
  Map<String, Integer> runs() {
    Map<String, Integer> runs = new TreeMap<>();
    raw().hkeys(runsKey).forEach(run -> runs.merge(run.substring(0, run.indexOf(' ')), 1, Integer::sum));
    return runs;
  }

  /** Kills the workers still running (the queue is done: they hold nothing), so every transcript is complete. */
  void stopWorkers() throws InterruptedException {
    for (WorkerJvm worker : workers) {
      worker.jvm.kill();
    }
  }

  @Override
  public void close() throws InterruptedException {
    stopWorkers();
    queue.close();
    direct.close();
  }
}
