package io.bullpen.examples;

import io.bullpen.Job;
import io.bullpen.event.WorkerListener;
import io.bullpen.redis.Queue;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.RedisConfig;
import io.bullpen.redis.TlsOptions;
import io.bullpen.redis.Worker;
import io.bullpen.redis.WorkerHealth;
import io.bullpen.redis.WorkerOptions;
import io.bullpen.testkit.TlsRedis;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The deployment guide: a queue and a worker on a TLS Redis whose certificate comes from the application's own
 * CA, and the worker's health as a health check would read it. Prints, for instance:
 *
 * <pre>
 * job 1 done over TLS
 * healthy: true (WorkerHealth[running=true, paused=false, activeJobs=0, sinceLastFetch=Optional[PT0.0012S], reconnects=0])
 * </pre>
 *
 * <p>Needs a TLS-capable {@code redis-server} (Debian's package); run it with {@code ./mvnw -q -DskipTests -pl
 * examples -am package exec:java -Dexec.mainClass=io.bullpen.examples.DeploymentExample}.
 */
public final class DeploymentExample {
  private DeploymentExample() {}

  public static void main(String[] args) throws Exception {
    if (!TlsRedis.isAvailable()) {
      System.out.println("no TLS-capable redis-server here: " + TlsRedis.unavailableReason());
      return;
    }
    try (TlsRedis redis = TlsRedis.builder().start()) {   // certificates made for this run
      run(redis.uri(), redis.certificates().caCertificate(), "deployment", System.out);
    }
  }

  /** Runs one job on queue {@code queueName} of the TLS Redis at {@code tlsUri}, trusting the CA in {@code caPem}. */
  public static void run(String tlsUri, Path caPem, String queueName, PrintStream out) throws InterruptedException {
    // region tls
    RedisConfig redis = RedisConfig.builder()
        .uri(tlsUri)                                // rediss://[user:password@]host:port[/db]
        .tls(TlsOptions.builder()
            .trustedCertificates(caPem)             // the CA that signed the server's certificate (PEM)
            .build())                               // the server's name and chain are verified
        .startupWait(Duration.ofSeconds(30))        // keep trying while Redis is not up yet
        .build();
    // The same from one environment variable: rediss://host:6380?tlsCa=/etc/redis/ca.pem
    // endregion
    CountDownLatch done = new CountDownLatch(1);
    try (Queue queue = new Queue(queueName, QueueOptions.of(redis));
        Worker worker = new Worker(queueName, job -> "over TLS", WorkerOptions.builder().redis(redis).build())) {
      worker.addListener(new WorkerListener() {
        @Override
        public void onCompleted(Job job, Object result) {
          out.println("job " + job.id() + " done " + result);
          done.countDown();
        }
      });
      queue.add("hello", null);
      if (!done.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the job did not complete within 30 s");
      }
      // region health
      WorkerHealth health = worker.health();
      Duration quiet = health.sinceLastFetch().orElse(Duration.ZERO);
      // A running worker asks Redis for work at least once per drainDelay (5 s by default).
      boolean healthy = health.running() && quiet.compareTo(Duration.ofSeconds(30)) < 0;
      out.println("healthy: " + healthy + " (" + health + ")");
      // endregion
    }
  }
}
