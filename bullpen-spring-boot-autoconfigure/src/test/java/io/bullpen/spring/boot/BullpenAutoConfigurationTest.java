package io.bullpen.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.BatchProcessor;
import io.bullpen.ClosedException;
import io.bullpen.InvalidOptionException;
import io.bullpen.Job;
import io.bullpen.JobOutcome;
import io.bullpen.JobState;
import io.bullpen.Processor;
import io.bullpen.redis.BatchWorker;
import io.bullpen.redis.Queue;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.RedisConfig;
import io.bullpen.redis.RedisConnector;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@RedisTest
class BullpenAutoConfigurationTest {
  private final String prefix = "sb-" + UUID.randomUUID();

  private ApplicationContextRunner runner(RunningRedis redis) {
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(BullpenAutoConfiguration.class, BullpenHealthAutoConfiguration.class))
        .withPropertyValues("bullpen.redis.uri=" + redis.uri(), "bullpen.prefix=" + prefix,
            "bullpen.worker.drain-delay=1s");
  }

  /** Job data of the tests. */
  public record Order(String sku, int quantity) {}

  /** Workers declared on methods: data and job parameters, an async one and a batch one. */
  public static class Handlers {
    @BullpenWorker(queue = "orders", concurrency = 2)
    public String handle(Order order, Job job) {
      return order.sku() + " x" + order.quantity() + " (" + job.name() + ")";
    }

    @BullpenWorker(queue = "async-orders")
    public CompletionStage<Integer> handleLater(Order order) {
      return CompletableFuture.supplyAsync(() -> order.quantity() * 10);
    }

    @BullpenWorker(queue = "rows", batchSize = 5, batchMaxWait = "20ms")
    public List<JobOutcome> store(List<Job> jobs) {
      return jobs.stream().map(job -> JobOutcome.completed(jobs.size())).toList();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class HandlerConfig {
    @Bean
    Handlers handlers() {
      return new Handlers();
    }

    @Bean
    @BullpenWorker(queue = "greetings", name = "greeter")
    Processor greeter() {
      return job -> "hello " + job.data(String.class);
    }
  }

  @Test
  void declaredWorkersRunTheirJobs(RunningRedis redis) {
    runner(redis).withUserConfiguration(HandlerConfig.class).run(context -> {
      Queues queues = context.getBean(Queues.class);
      Job order = queues.get("orders").add("ship", new Order("A-1", 3));
      Job later = queues.get("async-orders").add("ship", new Order("B-2", 4));
      Job greeting = queues.get("greetings").add("greet", "ann");
      List<Job> rows = List.of(queues.get("rows").add("row", 1), queues.get("rows").add("row", 2));

      assertEquals("\"A-1 x3 (ship)\"", completed(queues.get("orders"), order.id()).returnValueJson().orElseThrow());
      assertEquals("40", completed(queues.get("async-orders"), later.id()).returnValueJson().orElseThrow());
      assertEquals("\"hello ann\"", completed(queues.get("greetings"), greeting.id()).returnValueJson().orElseThrow());
      for (Job row : rows) {
        completed(queues.get("rows"), row.id());
      }

      Map<String, ManagedWorker> byQueue = byQueue(context.getBean(BullpenWorkers.class));
      assertEquals(2, byQueue.get("orders").worker().options().concurrency());
      assertEquals("handlers#handle", byQueue.get("orders").definition().source());
      assertEquals("greeter", byQueue.get("greetings").worker().options().name().orElseThrow());
      BatchWorker batch = assertInstanceOf(BatchWorker.class, byQueue.get("rows").worker());
      assertEquals(5, batch.batchOptions().size());
      assertEquals(Duration.ofMillis(20), batch.batchOptions().maxWait());
    });
  }

  @Test
  void perQueuePropertiesOverrideTheAnnotationWhichOverridesTheDefaults(RunningRedis redis) {
    runner(redis).withUserConfiguration(HandlerConfig.class)
        .withPropertyValues("bullpen.worker.concurrency=3", "bullpen.worker.lock-duration=45s",
            "bullpen.workers.orders.concurrency=7", "bullpen.workers.rows.batch-max-wait=50ms")
        .run(context -> {
          Map<String, ManagedWorker> byQueue = byQueue(context.getBean(BullpenWorkers.class));
          assertEquals(7, byQueue.get("orders").worker().options().concurrency(), "bullpen.workers.orders");
          assertEquals(3, byQueue.get("greetings").worker().options().concurrency(), "bullpen.worker");
          assertEquals(Duration.ofSeconds(45), byQueue.get("greetings").worker().options().locks().duration());
          assertEquals(Duration.ofMillis(50), ((BatchWorker) byQueue.get("rows").worker()).batchOptions().maxWait());
        });
  }

  @Configuration(proxyBeanMethods = false)
  static class MailUser {
    @Bean
    String mailQueueName(@Qualifier("mail") Queue mail) {
      return mail.name();
    }
  }

  @Test
  void eachConfiguredQueueIsABeanWithItsJobDefaults(RunningRedis redis) {
    runner(redis).withUserConfiguration(MailUser.class)
        .withPropertyValues("bullpen.queues.mail.attempts=4", "bullpen.queues.mail.backoff.type=exponential",
            "bullpen.queues.mail.backoff.delay=2s", "bullpen.queues.mail.remove-on-complete.count=10")
        .run(context -> {
          assertEquals("mail", context.getBean("mailQueueName"));
          Queue mail = context.getBean("mailQueue", Queue.class);
          assertTrue(mail == context.getBean(Queues.class).get("mail"), "the bean is the registry's queue");
          Job job = mail.add("welcome", Map.of("to", "ann@example.com"));
          assertEquals(4, job.options().attempts());
          assertTrue(job.optionsJson().contains("\"exponential\""), job.optionsJson());
          assertTrue(job.optionsJson().contains("2000"), job.optionsJson());
        });
  }

  @Test
  void aBadPropertyFailsTheStartNamingIt(RunningRedis redis) {
    runner(redis).withPropertyValues("bullpen.queues.mail.attempts=-1").run(context -> {
      assertTrue(context.getStartupFailure() != null);
      InvalidOptionException e = rootOf(context.getStartupFailure(), InvalidOptionException.class);
      assertEquals("bullpen.queues.mail.attempts", e.field());
    });
  }

  /** Not a worker method: two data parameters. */
  public static class TwoData {
    @BullpenWorker(queue = "bad")
    public void handle(Order order, String extra) {}
  }

  @Test
  void aWorkerMethodThatCannotTakeAJobFailsTheStart(RunningRedis redis) {
    runner(redis).withBean(TwoData.class).run(context -> {
      InvalidOptionException e = rootOf(context.getStartupFailure(), InvalidOptionException.class);
      assertTrue(e.getMessage().contains("at most one more parameter"), e.getMessage());
      assertTrue(e.field().contains("TwoData") || e.field().contains("twoData"), e.field());
    });
  }

  @Test
  void theStarterClosesTheConnectorItMadeAndLeavesTheApplicationsOpen(RunningRedis redis) {
    RedisConnector[] made = new RedisConnector[1];
    runner(redis).run(context -> made[0] = context.getBean(RedisConnector.class));
    assertThrows(ClosedException.class,
        () -> new Queue("probe-" + prefix, QueueOptions.builder().connector(made[0]).build()));

    try (RedisConnector own = RedisConnector.create(RedisConfig.of(redis.uri()))) {
      // As @Bean(destroyMethod = "") would: the application keeps closing it to itself.
      runner(redis).withBean(RedisConnector.class, () -> own, bean -> bean.setDestroyMethodName("")).run(context ->
          assertTrue(context.getBean(RedisConnector.class) == own, "the application's connector is used"));
      try (Queue stillOpen = new Queue("probe-" + prefix, QueueOptions.builder().connector(own).build())) {
        assertEquals(0L, stillOpen.getJobCounts(JobState.WAITING).get(JobState.WAITING));
      }
    }
  }

  /** Takes a while per job, to be stopped in the middle. */
  public static class Slow {
    @BullpenWorker(queue = "slow", concurrency = 2)
    public String handle(Job job) throws InterruptedException {
      Thread.sleep(600);
      return "done " + job.id();
    }
  }

  @Test
  void stoppingTheContextLetsRunningJobsFinish(RunningRedis redis) {
    String[] ids = new String[4];
    runner(redis).withBean(Slow.class).run(context -> {
      Queue slow = context.getBean(Queues.class).get("slow");
      for (int i = 0; i < ids.length; i++) {
        ids[i] = slow.add("work", i).id();
      }
      await("two jobs active", () -> slow.getJobCounts(JobState.ACTIVE).get(JobState.ACTIVE) == 2);
    });
    try (Queue observer = new Queue("slow", QueueOptions.builder().redis(RedisConfig.of(redis.uri()))
        .prefix(prefix).build())) {
      Map<JobState, Long> counts = observer.getJobCounts(JobState.ACTIVE, JobState.COMPLETED, JobState.WAITING);
      assertEquals(0L, counts.get(JobState.ACTIVE), counts.toString());
      assertTrue(counts.get(JobState.COMPLETED) >= 2, counts.toString());
      assertEquals(ids.length, counts.get(JobState.COMPLETED) + counts.get(JobState.WAITING), counts.toString());
    }
  }

  @Test
  void healthIsUpWithCountsAndDownOnceAWorkerStoppedRunning(RunningRedis redis) {
    runner(redis).withBean(Slow.class).withPropertyValues("bullpen.queues.mail.attempts=2").run(context -> {
      BullpenHealthIndicator indicator = context.getBean(BullpenHealthIndicator.class);
      Health up = indicator.health();
      assertEquals(Status.UP, up.getStatus(), up.getDetails().toString());
      @SuppressWarnings("unchecked")
      Map<String, Object> queues = (Map<String, Object>) up.getDetails().get("queues");
      assertEquals(Map.of("mail", true, "slow", true),
          Map.of("mail", queues.containsKey("mail"), "slow", queues.containsKey("slow")));
      assertNotNull(((List<?>) up.getDetails().get("workers")).get(0));

      context.getBean(BullpenWorkers.class).workers().get(0).worker().close();
      Health down = indicator.health();
      assertEquals(Status.DOWN, down.getStatus());
      assertTrue(down.getDetails().get("problems").toString().contains("is not running"), down.toString());
    });
  }

  @Test
  void theHealthIndicatorCanBeTurnedOffAndEverythingCanBeReplaced(RunningRedis redis) {
    runner(redis).withPropertyValues("management.health.bullpen.enabled=false")
        .run(context -> assertFalse(context.containsBean("bullpenHealthIndicator")));
    runner(redis).withPropertyValues("bullpen.enabled=false")
        .run(context -> assertFalse(context.containsBean("bullpenRedisConnector")));
  }

  @Configuration(proxyBeanMethods = false)
  static class BatchBeanConfig {
    @Bean
    @BullpenWorker(queue = "batched", batchSize = 3)
    BatchProcessor batched() {
      return jobs -> jobs.stream().map(job -> JobOutcome.completed("ok")).toList();
    }
  }

  @Test
  void aBatchProcessorBeanIsABatchWorker(RunningRedis redis) {
    runner(redis).withUserConfiguration(BatchBeanConfig.class).run(context -> {
      Queue batched = context.getBean(Queues.class).get("batched");
      Job job = batched.add("x", 1);
      assertEquals("\"ok\"", completed(batched, job.id()).returnValueJson().orElseThrow());
      assertInstanceOf(BatchWorker.class, context.getBean(BullpenWorkers.class).workers().get(0).worker());
    });
  }

  private static Map<String, ManagedWorker> byQueue(BullpenWorkers workers) {
    return workers.workers().stream()
        .collect(java.util.stream.Collectors.toMap(m -> m.definition().queue(), m -> m));
  }

  @Configuration(proxyBeanMethods = false)
  static class TracingConfig {
    @Bean
    io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter spans() {
      return io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter.create();
    }

    @Bean
    io.opentelemetry.api.OpenTelemetry openTelemetry(io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter spans) {
      return io.opentelemetry.sdk.OpenTelemetrySdk.builder()
          .setTracerProvider(io.opentelemetry.sdk.trace.SdkTracerProvider.builder()
              .addSpanProcessor(io.opentelemetry.sdk.trace.export.SimpleSpanProcessor.create(spans)).build())
          .setPropagators(io.opentelemetry.context.propagation.ContextPropagators.create(
              io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator.getInstance()))
          .build();
    }
  }

  @Test
  void withAnOpenTelemetryBeanAddsAndJobsAreTracedInOneTrace(RunningRedis redis) {
    runner(redis).withConfiguration(AutoConfigurations.of(BullpenTracingAutoConfiguration.class))
        .withUserConfiguration(HandlerConfig.class, TracingConfig.class).run(context -> {
          Queues queues = context.getBean(Queues.class);
          Job greeting = queues.get("greetings").add("greet", "ann");
          completed(queues.get("greetings"), greeting.id());
          var exporter = context.getBean(io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter.class);
          java.util.function.Function<String, List<io.opentelemetry.sdk.trace.data.SpanData>> named = spanName ->
              exporter.getFinishedSpanItems().stream().filter(span -> span.getName().equals(spanName)).toList();
          await("the process span ended", () -> !named.apply("process greetings").isEmpty());
          var send = named.apply("send greetings");
          var process = named.apply("process greetings");
          assertEquals(1, send.size(), "one send span");
          assertEquals(send.get(0).getTraceId(), process.get(0).getTraceId(), "the job continues the add's trace");
        });
  }

  @Test
  void withoutAnOpenTelemetryBeanThereIsNoTracing(RunningRedis redis) {
    runner(redis).withConfiguration(AutoConfigurations.of(BullpenTracingAutoConfiguration.class))
        .run(context -> assertEquals(0, context.getBeansOfType(io.bullpen.opentelemetry.BullpenTracing.class).size()));
  }

  private static Job completed(Queue queue, String id) {
    await("job " + id + " of " + queue.name() + " completed", () -> queue.getJobState(id) == JobState.COMPLETED);
    return queue.getJob(id).orElseThrow();
  }

  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 30 s: " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  private static <T extends Throwable> T rootOf(Throwable failure, Class<T> type) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    throw new AssertionError("no " + type.getSimpleName() + " in " + failure, failure);
  }
}
