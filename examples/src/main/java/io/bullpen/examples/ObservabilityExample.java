package io.bullpen.examples;

import io.bullpen.JobMetrics;
import io.bullpen.micrometer.BullpenMetrics;
import io.bullpen.opentelemetry.BullpenTracing;
import io.bullpen.redis.Queue;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.RedisConfig;
import io.bullpen.redis.Worker;
import io.bullpen.redis.WorkerOptions;
import io.bullpen.testkit.RedisLauncher;
import io.bullpen.testkit.RunningRedis;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.PrintStream;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Observability (docs/observability.md): one job added and processed with Micrometer metrics, OpenTelemetry
 * tracing and BullMQ's per-minute metrics turned on. Prints:
 *
 * <pre>
 * completed 1, failed 0, started 1
 * spans: send welcome-mail, settle welcome-mail, process welcome-mail
 * bullmq metrics: 1 completed
 * </pre>
 *
 * <p>Run it with {@code ./mvnw -q -DskipTests -pl examples -am package exec:java
 * -Dexec.mainClass=io.bullpen.examples.ObservabilityExample}.
 */
public final class ObservabilityExample {
  private ObservabilityExample() {}

  public static void main(String[] args) throws Exception {
    try (RunningRedis redis = RedisLauncher.start()) { // REDIS_URL when set, else a Redis started for this run
      run(redis.uri(), "welcome-mail", System.out);
    }
  }

  static void run(String uri, String queueName, PrintStream out) throws InterruptedException {
    RedisConfig config = RedisConfig.of(uri);
    MeterRegistry registry = new SimpleMeterRegistry();
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    try (SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
        .addSpanProcessor(SimpleSpanProcessor.create(spans)).build()) {
      OpenTelemetry openTelemetry = OpenTelemetrySdk.builder().setTracerProvider(tracerProvider)
          .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
      // region wiring
      BullpenMetrics metrics = BullpenMetrics.builder().build();
      metrics.bindTo(registry);                       // any MeterRegistry: Prometheus, OTLP, a composite
      BullpenTracing tracing = BullpenTracing.create(openTelemetry);
      try (Queue queue = new Queue(queueName, QueueOptions.builder().redis(config)
               .observer(metrics).observer(tracing).build());
           Worker worker = new Worker(queueName, job -> "sent to " + job.data(Map.class).get("to"),
               WorkerOptions.builder().redis(config)
                   .observer(metrics).observer(tracing)
                   .metrics(10_080)                   // BullMQ's per-minute counts, a week of them
                   .build())) {
        metrics.monitor(queue);                       // bullpen.queue.jobs{state=...}, one count call per refresh
        queue.add("welcome", Map.of("to", "ann@example.com"));
        // endregion
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (spans.getFinishedSpanItems().stream().noneMatch(s -> s.getName().startsWith("process"))
            && System.nanoTime() < deadline) {
          Thread.sleep(10);
        }
        out.printf("completed %.0f, failed %.0f, started %.0f%n",
            registry.get(BullpenMetrics.COMPLETED).counter().count(),
            registry.get(BullpenMetrics.FAILED).counter().count(),
            registry.get(BullpenMetrics.STARTED).counter().count());
        out.println("spans: " + spans.getFinishedSpanItems().stream().map(SpanData::getName)
            .collect(Collectors.joining(", ")));
        out.println("bullmq metrics: " + queue.getMetrics(JobMetrics.Type.COMPLETED, 0, -1).count() + " completed");
      }
    }
  }
}
