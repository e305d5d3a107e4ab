package io.bullpen.opentelemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bullpen.Job;
import io.bullpen.JobOptions;
import io.bullpen.JobSpec;
import io.bullpen.JobState;
import io.bullpen.redis.Queue;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.RedisConfig;
import io.bullpen.redis.Worker;
import io.bullpen.redis.WorkerOptions;
import io.bullpen.testkit.NodeBullmq;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The exact spans {@link BullpenTracing} makes, and the trace crossing between BullMQ 6.7.0 and Bullpen. */
@RedisTest
class BullpenTracingTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final SdkTracerProvider provider = SdkTracerProvider.builder()
      .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
  private final OpenTelemetrySdk otel = OpenTelemetrySdk.builder().setTracerProvider(provider)
      .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
  private final BullpenTracing tracing = BullpenTracing.create(otel);

  @AfterEach
  void close() {
    provider.close();
  }

  @Test
  void addProcessRetryAndCompleteMakeOneTrace(RunningRedis redis) throws Exception {
    String name = "trace-" + UUID.randomUUID();
    RedisConfig config = RedisConfig.of(redis.uri());
    AtomicReference<String> currentInProcessor = new AtomicReference<>();
    Span request = otel.getTracer("test").spanBuilder("request").startSpan();
    Job job;
    try (Queue queue = new Queue(name, QueueOptions.builder().redis(config).observer(tracing).build())) {
      try (Scope ignored = request.makeCurrent()) {
        job = queue.add("mail", Map.of(), JobOptions.builder().attempts(2).build());
      } finally {
        request.end();
      }
      try (Worker worker = new Worker(name, j -> {
        currentInProcessor.set(Span.current().getSpanContext().getSpanId());
        if (j.attemptsMade() == 0) {
          throw new IllegalStateException("first try fails");
        }
        return "ok";
      }, WorkerOptions.builder().redis(config).observer(tracing).build())) {
        await(() -> exporter.getFinishedSpanItems().stream().filter(s -> s.getName().startsWith("process")).count()
            == 2, "two process spans");
      }
      String tm = queue.getJob(job.id()).orElseThrow().options().telemetryMetadata().orElseThrow();
      SpanData send = only("send " + name);
      assertEquals("{\"traceparent\":\"" + traceparent(send) + "\"}", tm);
    }
    List<SpanData> spans = exporter.getFinishedSpanItems();
    SpanData req = only("request");
    SpanData send = only("send " + name);
    assertEquals(SpanKind.PRODUCER, send.getKind());
    assertEquals(req.getSpanId(), send.getParentSpanId());
    assertEquals(name, send.getAttributes().get(BullpenTracing.DESTINATION));
    assertEquals("bullmq", send.getAttributes().get(BullpenTracing.SYSTEM));
    assertEquals(job.id(), send.getAttributes().get(BullpenTracing.MESSAGE_ID));

    List<SpanData> process = spans.stream().filter(s -> s.getName().equals("process " + name)).toList();
    List<SpanData> settle = spans.stream().filter(s -> s.getName().equals("settle " + name)).toList();
    assertEquals(2, process.size());
    assertEquals(2, settle.size());
    assertEquals(6, spans.size(), spans.toString());
    for (SpanData p : process) {
      assertEquals(SpanKind.CONSUMER, p.getKind());
      assertEquals(req.getTraceId(), p.getTraceId());
      assertEquals(send.getSpanId(), p.getParentSpanId());
      assertEquals(send.getSpanId(), p.getLinks().get(0).getSpanContext().getSpanId());
      assertEquals("process", p.getAttributes().get(BullpenTracing.OPERATION_NAME));
    }
    SpanData first = process.stream().filter(p -> p.getAttributes().get(BullpenTracing.ATTEMPT) == 1L)
        .findFirst().orElseThrow();
    SpanData second = process.stream().filter(p -> p.getAttributes().get(BullpenTracing.ATTEMPT) == 2L)
        .findFirst().orElseThrow();
    assertEquals("retried", first.getAttributes().get(BullpenTracing.OUTCOME));
    assertEquals(StatusCode.ERROR, first.getStatus().getStatusCode());
    assertEquals("exception", first.getEvents().get(0).getName());
    assertEquals("completed", second.getAttributes().get(BullpenTracing.OUTCOME));
    assertEquals(StatusCode.UNSET, second.getStatus().getStatusCode());
    assertEquals(second.getSpanId(), currentInProcessor.get(), "the process span is current in the processor");
    for (SpanData s : settle) {
      assertEquals(SpanKind.CLIENT, s.getKind());
      assertTrue(process.stream().anyMatch(p -> p.getSpanId().equals(s.getParentSpanId())));
    }
  }

  @Test
  void aBulkAddMakesACreateSpanPerJobAndOneLinkedSend(RunningRedis redis) {
    String name = "trace-" + UUID.randomUUID();
    try (Queue queue = new Queue(name, QueueOptions.builder().redis(RedisConfig.of(redis.uri())).observer(tracing)
        .build())) {
      List<Job> jobs = queue.addBulk(List.of(JobSpec.of("a", null), JobSpec.of("b", null)));
      List<SpanData> creates = exporter.getFinishedSpanItems().stream()
          .filter(s -> s.getName().equals("create " + name)).toList();
      SpanData send = only("send " + name);
      assertEquals(2, creates.size());
      assertEquals(SpanKind.CLIENT, send.getKind());
      assertEquals(2L, send.getAttributes().get(BullpenTracing.BATCH_COUNT));
      assertEquals(creates.stream().map(SpanData::getSpanId).toList(),
          send.getLinks().stream().map(l -> l.getSpanContext().getSpanId()).toList());
      for (int i = 0; i < 2; i++) {
        SpanData create = creates.get(i);
        assertEquals(jobs.get(i).id(), create.getAttributes().get(BullpenTracing.MESSAGE_ID));
        assertEquals("{\"traceparent\":\"" + traceparent(create) + "\"}",
            queue.getJob(jobs.get(i).id()).orElseThrow().options().telemetryMetadata().orElseThrow());
      }
    }
  }

  /** BullMQ stores a producer's context given as opts.telemetry.metadata in tm; Bullpen's worker continues it. */
  @Test
  void aTraceStartedByBullmqContinuesInABullpenWorker(RunningRedis redis) throws Exception {
    NodeBullmq node = new NodeBullmq();
    assumeTrue(node.isAvailable(), "needs Node and bullmq@6.7.0 in interop/node");
    String name = "trace-node-" + UUID.randomUUID();
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    String spanId = "00f067aa0ba902b7";
    String metadata = "{\"traceparent\":\"00-" + traceId + "-" + spanId + "-01\"}";
    String jobs = JSON.writeValueAsString(List.of(Map.of("name", "from-node", "data", Map.of(),
        "opts", Map.of("telemetry", Map.of("metadata", metadata)))));
    List<String> lines = node.run("producer.mjs", Map.of("REDIS_URL", redis.uri(), "QUEUE", name, "JOBS", jobs),
        Duration.ofSeconds(45));
    assertTrue(lines.stream().anyMatch(l -> l.contains("\"added\"")), lines.toString());
    RedisConfig config = RedisConfig.of(redis.uri());
    try (Worker worker = new Worker(name, j -> "ok", WorkerOptions.builder().redis(config).observer(tracing).build())) {
      await(() -> exporter.getFinishedSpanItems().stream().anyMatch(s -> s.getName().equals("process " + name)),
          "the Java process span");
    }
    SpanData process = only("process " + name);
    assertEquals(traceId, process.getTraceId());
    assertEquals(spanId, process.getParentSpanId());
    assertTrue(process.getParentSpanContext().isRemote());
  }

  /** A Bullpen producer's context reaches BullMQ as job.opts.telemetry.metadata, what bullmq-otel's worker reads. */
  @Test
  void aTraceStartedByBullpenReachesBullmqInItsTelemetryMetadata(RunningRedis redis) throws Exception {
    NodeBullmq node = new NodeBullmq();
    assumeTrue(node.isAvailable(), "needs Node and bullmq@6.7.0 in interop/node");
    String name = "trace-java-" + UUID.randomUUID();
    Job job;
    try (Queue queue = new Queue(name, QueueOptions.builder().redis(RedisConfig.of(redis.uri())).observer(tracing)
        .build())) {
      job = queue.add("to-node", Map.of());
    }
    SpanData send = only("send " + name);
    List<String> lines = node.run("reader.mjs", Map.of("REDIS_URL", redis.uri(), "QUEUE", name,
        "IDS", JSON.writeValueAsString(List.of(job.id()))), Duration.ofSeconds(45));
    JsonNode read = lines.stream().map(BullpenTracingTest::parse).filter(n -> n.path("type").asText().equals("job"))
        .findFirst().orElseThrow(() -> new AssertionError(lines.toString()));
    String metadata = read.path("opts").path("telemetry").path("metadata").asText();
    assertEquals(traceparent(send),
        parse(metadata).path("traceparent").asText(), read.toString());
    assertEquals(JobState.WAITING.wireName(), read.path("state").asText());
  }

  /** W3C traceparent of {@code span} (OpenTelemetry 1.68 also sets the random-trace-id flag: {@code -03}). */
  private static String traceparent(SpanData span) {
    return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getSpanContext().getTraceFlags().asHex();
  }

  private SpanData only(String spanName) {
    List<SpanData> found = exporter.getFinishedSpanItems().stream().filter(s -> s.getName().equals(spanName)).toList();
    assertEquals(1, found.size(), spanName + " in " + exporter.getFinishedSpanItems());
    return found.get(0);
  }

  private static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (Exception e) {
      throw new AssertionError(line, e);
    }
  }

  private void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what + "; spans " + exporter.getFinishedSpanItems());
      }
      Thread.sleep(20);
    }
  }
}
