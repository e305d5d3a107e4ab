/**
 * OpenTelemetry spans for Bullpen: {@link io.bullpen.opentelemetry.BullpenTracing}, the {@code JobObserver} that
 * traces adds, attempts and settles and carries the trace context in the job's {@code opts.tm}.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.bullpen.queue.opentelemetry {
  requires transitive io.bullpen.queue.redis;
  requires transitive io.opentelemetry.api;
  requires io.opentelemetry.context;

  exports io.bullpen.opentelemetry;
}
