package io.bullpen.opentelemetry;

import io.bullpen.InvalidOptionException;
import io.bullpen.observe.AddObservation;
import io.bullpen.observe.AttemptObservation;
import io.bullpen.observe.AttemptOutcome;
import io.bullpen.observe.AttemptResult;
import io.bullpen.observe.JobAdd;
import io.bullpen.observe.JobAttempt;
import io.bullpen.observe.JobObserver;
import io.bullpen.observe.Scope;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Traces Bullpen with OpenTelemetry's messaging conventions. An add is a {@code send <queue>} span (PRODUCER); a
 * bulk add makes a {@code create <queue>} span (PRODUCER) per job and one {@code send <queue>} span (CLIENT) linked
 * to them. The job's span context goes into its {@code opts.tm} as the JSON of the propagation headers, exactly as
 * BullMQ's telemetry stores it, so a Node worker with {@code bullmq-otel} continues the trace, and a Bullpen worker
 * continues one a Node producer started. A worker's attempt is a {@code process <queue>} span (CONSUMER), child of
 * the producer's context and linked to it, current on the processor's thread; writing its outcome is a {@code
 * settle <queue>} span (CLIENT) under it.
 *
 * <pre>{@code
 * BullpenTracing tracing = BullpenTracing.create(openTelemetry);
 * QueueOptions.builder().redis(config).observer(tracing).build();
 * WorkerOptions.builder().redis(config).observer(tracing).build();
 * }</pre>
 */
public final class BullpenTracing implements JobObserver {
  /** The instrumentation scope name of Bullpen's spans. */
  public static final String SCOPE = "io.bullpen";

  static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
  static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
  static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("messaging.operation.name");
  static final AttributeKey<String> OPERATION_TYPE = AttributeKey.stringKey("messaging.operation.type");
  static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");
  static final AttributeKey<Long> BATCH_COUNT = AttributeKey.longKey("messaging.batch.message_count");
  static final AttributeKey<String> JOB_NAME = AttributeKey.stringKey("bullmq.job.name");
  static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("bullmq.job.attempts.made");
  static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("bullpen.job.outcome");
  static final AttributeKey<String> WORKER = AttributeKey.stringKey("bullmq.worker.id");

  private static final TextMapGetter<Map<String, String>> FROM_MAP = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Map<String, String> carrier) {
      return carrier.keySet();
    }

    @Override
    public String get(Map<String, String> carrier, String key) {
      return carrier == null ? null : carrier.get(key);
    }
  };

  private final Tracer tracer;
  private final TextMapPropagator propagator;
  private final String system;

  private BullpenTracing(OpenTelemetry otel, String system) {
    this.tracer = otel.getTracer(SCOPE);
    this.propagator = otel.getPropagators().getTextMapPropagator();
    this.system = system;
  }

  /** Tracing with {@code openTelemetry}'s tracer and propagators; {@code messaging.system} is {@code bullmq}. */
  public static BullpenTracing create(OpenTelemetry openTelemetry) {
    if (openTelemetry == null) {
      throw new InvalidOptionException("openTelemetry", null, "must not be null");
    }
    return new BullpenTracing(openTelemetry, "bullmq");
  }

  @Override
  public AddObservation addStarting(String queueName, List<JobAdd> jobs) {
    Context parent = Context.current();
    if (jobs.size() == 1) {
      Span send = messaging("send " + queueName, SpanKind.PRODUCER, queueName, "send", parent)
          .setAttribute(JOB_NAME, String.valueOf(jobs.get(0).name())).startSpan();
      Map<String, String> headers = inject(parent.with(send));
      return new Adding(send, List.of(send), List.of(headers));
    }
    List<Span> creates = new ArrayList<>(jobs.size());
    List<Map<String, String>> headers = new ArrayList<>(jobs.size());
    SpanBuilder send = messaging("send " + queueName, SpanKind.CLIENT, queueName, "send", parent)
        .setAttribute(BATCH_COUNT, (long) jobs.size());
    for (JobAdd job : jobs) {
      Span create = messaging("create " + queueName, SpanKind.PRODUCER, queueName, "create", parent)
          .setAttribute(JOB_NAME, String.valueOf(job.name())).startSpan();
      creates.add(create);
      headers.add(inject(parent.with(create)));
      send.addLink(create.getSpanContext());
    }
    return new Adding(send.startSpan(), creates, headers);
  }

  @Override
  public AttemptObservation attemptStarting(JobAttempt attempt) {
    Context producer = propagator.extract(Context.root(), attempt.propagationHeaders(), FROM_MAP);
    SpanContext producerSpan = Span.fromContext(producer).getSpanContext();
    SpanBuilder builder = messaging("process " + attempt.queueName(), SpanKind.CONSUMER, attempt.queueName(),
        "process", producerSpan.isValid() ? producer : Context.current())
        .setAttribute(MESSAGE_ID, attempt.job().id())
        .setAttribute(JOB_NAME, attempt.job().name())
        .setAttribute(ATTEMPT, (long) attempt.attempt())
        .setAttribute(WORKER, attempt.workerId());
    if (producerSpan.isValid()) {
      builder.addLink(producerSpan);
    }
    Span process = builder.startSpan();
    return new Attempt(attempt, process);
  }

  private SpanBuilder messaging(String name, SpanKind kind, String queue, String operation, Context parent) {
    return tracer.spanBuilder(name).setSpanKind(kind).setParent(parent)
        .setAttribute(SYSTEM, system)
        .setAttribute(DESTINATION, queue)
        .setAttribute(OPERATION_NAME, operation)
        .setAttribute(OPERATION_TYPE, operation);
  }

  private Map<String, String> inject(Context context) {
    Map<String, String> headers = new LinkedHashMap<>();
    propagator.inject(context, headers, Map::put);
    return headers;
  }

  private static void fail(Span span, Throwable error) {
    span.recordException(error);
    span.setStatus(StatusCode.ERROR, String.valueOf(error.getMessage()));
  }

  /** One add call: the spans whose contexts go into the jobs, and the send span that ends with the call. */
  private static final class Adding implements AddObservation {
    private final Span send;
    private final List<Span> perJob;
    private final List<Map<String, String>> headers;

    Adding(Span send, List<Span> perJob, List<Map<String, String>> headers) {
      this.send = send;
      this.perJob = perJob;
      this.headers = headers;
    }

    @Override
    public Map<String, String> propagationHeaders(int index) {
      return headers.get(index);
    }

    @Override
    public void added(List<String> jobIds) {
      for (int i = 0; i < perJob.size() && i < jobIds.size(); i++) {
        perJob.get(i).setAttribute(MESSAGE_ID, jobIds.get(i));
      }
      end();
    }

    @Override
    public void failed(Throwable error) {
      fail(send, error);
      end();
    }

    private void end() {
      for (Span span : perJob) {
        if (span != send) {
          span.end();
        }
      }
      send.end();
    }
  }

  /** One attempt: its process span, current around the processor, and the settle span at its end. */
  private final class Attempt implements AttemptObservation {
    private final JobAttempt attempt;
    private final Span process;

    Attempt(JobAttempt attempt, Span process) {
      this.attempt = attempt;
      this.process = process;
    }

    @Override
    public Scope enter() {
      io.opentelemetry.context.Scope scope = Context.current().with(process).makeCurrent();
      return scope::close;
    }

    @Override
    public void settled(AttemptResult result) {
      String outcome = result.outcome().name().toLowerCase(Locale.ROOT);
      process.setAttribute(OUTCOME, outcome);
      if (result.error() != null && result.outcome() != AttemptOutcome.COMPLETED) {
        fail(process, result.error());
      }
      if (!result.settleTime().isZero()) {
        Instant end = Instant.now();
        Instant start = end.minus(result.settleTime());
        Span settle = messaging("settle " + attempt.queueName(), SpanKind.CLIENT, attempt.queueName(), "settle",
            Context.root().with(process))
            .setAttribute(MESSAGE_ID, attempt.job().id())
            .setAttribute(OUTCOME, outcome)
            .setStartTimestamp(start.getEpochSecond() * 1_000_000_000L + start.getNano(), TimeUnit.NANOSECONDS)
            .startSpan();
        if (result.outcome() == AttemptOutcome.ABANDONED && result.error() != null) {
          fail(settle, result.error());
        }
        settle.end(end);
      }
      process.end();
    }
  }
}
