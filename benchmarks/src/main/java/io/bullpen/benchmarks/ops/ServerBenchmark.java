package io.bullpen.benchmarks.ops;

import io.bullpen.JobSpec;
import io.bullpen.redis.Queue;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.RedisConfig;
import io.bullpen.server.ApiKeys;
import io.bullpen.server.BullpenServer;
import io.bullpen.server.Scope;
import io.bullpen.server.ServerOptions;
import io.bullpen.testkit.RedisLauncher;
import io.bullpen.testkit.RunningRedis;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * Issue 13's server figures, in one run against one embedded Redis (persistence off), on loopback:
 *
 * <ul>
 *   <li>{@code reads}: the latency of dashboard reads (a queue's counts, a page of waiting jobs, one job) through a
 *       server with the read cache and through one without ({@code cacheMaxEntries(0)}), sequential requests on one
 *       keep-alive connection, alternating the two servers in rounds; p50 and p99;
 *   <li>{@code adds}: remote-producer throughput, {@code POST /api/v1/queues/q/jobs} on {@code in-flight} keep-alive
 *       HTTP/1.1 connections ({@link RawHttp}, one request in flight on each), next to {@code Queue.addAsync} with as many in flight from this JVM,
 *       alternating which goes first.
 * </ul>
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.bullpen.benchmarks.ops.ServerBenchmark --reads=5000 --adds=20000
 * </pre>
 */
public final class ServerBenchmark {
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final String key;

  private ServerBenchmark(String key) {
    this.key = key;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = RunInfo.options(args, 0);
    int reads = Integer.parseInt(options.getOrDefault("reads", "5000"));
    int adds = Integer.parseInt(options.getOrDefault("adds", "20000"));
    int inFlight = Integer.parseInt(options.getOrDefault("in-flight", "16"));
    try (RunningRedis redis = RedisLauncher.startEmbedded()) {
      ApiKeys keys = ApiKeys.inMemory();
      String key = keys.create("bench", EnumSet.of(Scope.ADMIN), List.of("*")).secret();
      RedisConfig config = RedisConfig.of(redis.uri());
      try (BullpenServer cached = BullpenServer.start(ServerOptions.builder().redis(config).apiKeys(keys).port(0)
              .queues("reads", "adds").build());
          BullpenServer uncached = BullpenServer.start(ServerOptions.builder().redis(config).apiKeys(keys).port(0)
              .queues("reads", "adds").cacheMaxEntries(0).build());
          Queue readQueue = new Queue("reads", QueueOptions.builder().redis(config).build());
          Queue addQueue = new Queue("adds", QueueOptions.builder().redis(config).build())) {
        ServerBenchmark bench = new ServerBenchmark(key);
        List<JobSpec> specs = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
          specs.add(JobSpec.of("mail", Map.of("to", "user" + i + "@example.com", "n", i)));
        }
        String jobId = readQueue.addBulk(specs).get(500).id();
        bench.reads(redis.uri(), reads, cached.uri(), uncached.uri(), jobId);
        bench.adds(redis.uri(), adds, inFlight, cached.uri(), addQueue);
        Map<String, Object> stats = RunInfo.head("server_cache_stats", null);
        stats.put("cached_server", cached.cacheStats().toString());
        RunInfo.print(stats);
      }
    }
    System.exit(0);
  }

  private void reads(String redisUri, int n, String cached, String uncached, String jobId) throws Exception {
    List<String> paths = List.of("/api/v1/queues/reads", "/api/v1/queues/reads/jobs?state=waiting&start=0&size=20",
        "/api/v1/queues/reads/jobs/" + jobId);
    for (String path : paths) {
      Map<String, Object> line = RunInfo.head("server_read_latency", redisUri);
      line.put("path", path);
      line.put("requests", n);
      line.put("load_before", RunInfo.loadAverage());
      timeGets(cached, path, n / 5); // warm-up: JIT, connections, the cache
      timeGets(uncached, path, n / 5);
      long[] withCache = new long[n];
      long[] withoutCache = new long[n];
      int rounds = 5;
      for (int r = 0; r < rounds; r++) {
        System.arraycopy(timeGets(cached, path, n / rounds), 0, withCache, r * (n / rounds), n / rounds);
        System.arraycopy(timeGets(uncached, path, n / rounds), 0, withoutCache, r * (n / rounds), n / rounds);
      }
      Arrays.sort(withCache);
      Arrays.sort(withoutCache);
      line.put("load_after", RunInfo.loadAverage());
      line.put("cached_p50_ms", RunInfo.percentileMs(withCache, 0.5));
      line.put("cached_p99_ms", RunInfo.percentileMs(withCache, 0.99));
      line.put("uncached_p50_ms", RunInfo.percentileMs(withoutCache, 0.5));
      line.put("uncached_p99_ms", RunInfo.percentileMs(withoutCache, 0.99));
      line.put("p50_ratio_uncached_over_cached", RunInfo.round(RunInfo.percentileMs(withoutCache, 0.5)
          / Math.max(0.001, RunInfo.percentileMs(withCache, 0.5))));
      RunInfo.print(line);
    }
  }

  private long[] timeGets(String base, String path, int n) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).header("X-API-Key", key).GET().build();
    long[] nanos = new long[n];
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      nanos[i] = System.nanoTime() - t0;
      if (response.statusCode() != 200) {
        throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
      }
    }
    return nanos;
  }

  private void adds(String redisUri, int n, int inFlight, String server, Queue queue) throws Exception {
    Map<String, Object> line = RunInfo.head("server_add_throughput", redisUri);
    line.put("jobs", n);
    line.put("in_flight", inFlight);
    line.put("load_before", RunInfo.loadAverage());
    httpAdds(server, n / 5, inFlight); // warm-up
    directAdds(queue, n / 5, inFlight);
    double httpSeconds = 0;
    double directSeconds = 0;
    for (int round = 0; round < 4; round++) {
      // Alternate which goes first, so neither always meets a fuller Redis.
      if (round % 2 == 0) {
        httpSeconds += httpAdds(server, n / 4, inFlight);
        directSeconds += directAdds(queue, n / 4, inFlight);
      } else {
        directSeconds += directAdds(queue, n / 4, inFlight);
        httpSeconds += httpAdds(server, n / 4, inFlight);
      }
    }
    line.put("load_after", RunInfo.loadAverage());
    line.put("http_jobs_per_s", Math.round(n / httpSeconds));
    line.put("direct_jobs_per_s", Math.round(n / directSeconds));
    line.put("ratio_http_over_direct", RunInfo.round(directSeconds / httpSeconds));
    RunInfo.print(line);
  }

  /** {@code n} adds over {@code inFlight} keep-alive connections, one thread each ({@link RawHttp}). */
  private double httpAdds(String base, int n, int inFlight) throws Exception {
    java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    List<CompletableFuture<Void>> senders = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int c = 0; c < inFlight; c++) {
      senders.add(CompletableFuture.runAsync(() -> {
        try (RawHttp connection = new RawHttp(base)) {
          for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
            int status = connection.post("/api/v1/queues/adds/jobs", key, "{\"name\":\"mail\",\"data\":{\"n\":" + i
                + "}}");
            if (status != 201) {
              throw new IllegalStateException("add answered " + status);
            }
          }
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }, java.util.concurrent.Executors.newSingleThreadExecutor()));
    }
    senders.forEach(CompletableFuture::join);
    return (System.nanoTime() - t0) / 1e9;
  }

  private static double directAdds(Queue queue, int n, int inFlight) throws Exception {
    Semaphore slots = new Semaphore(inFlight);
    List<CompletableFuture<?>> all = new ArrayList<>(n);
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      slots.acquire();
      all.add(queue.addAsync("mail", Map.of("n", i)).whenComplete((r, e) -> slots.release()));
    }
    all.forEach(CompletableFuture::join);
    return (System.nanoTime() - t0) / 1e9;
  }
}
