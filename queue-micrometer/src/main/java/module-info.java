/**
 * Micrometer meters for Bullpen: {@link io.bullpen.micrometer.BullpenMetrics}, a {@code MeterBinder} that is also
 * the {@code JobObserver} of the queues and workers it measures.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.bullpen.queue.micrometer {
  requires transitive io.bullpen.queue.redis;
  requires transitive micrometer.core;

  exports io.bullpen.micrometer;
}
