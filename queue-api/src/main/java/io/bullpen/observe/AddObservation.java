package io.bullpen.observe;

import java.util.List;
import java.util.Map;

/** The observation of one add call, from {@link JobObserver#addStarting}. */
public interface AddObservation {
  /** Observes nothing and gives no headers. */
  AddObservation NONE = new AddObservation() {};

  /**
   * Propagation headers (for example W3C {@code traceparent}) for the job at {@code index}, which Bullpen stores as
   * the JSON object text of BullMQ's {@code opts.tm}, as BullMQ's telemetry does. Not asked for a job whose options
   * carry their own {@link io.bullpen.JobOptions#telemetryMetadata() metadata} or {@link
   * io.bullpen.JobOptions#omitContext() omit the context}. Empty: nothing is stored.
   */
  default Map<String, String> propagationHeaders(int index) {
    return Map.of();
  }

  /**
   * The call stored its jobs; {@code jobIds} are their ids in call order (a job absorbed by deduplication has the
   * id of the job that absorbed it).
   */
  default void added(List<String> jobIds) {}

  /** The call failed (nothing, or, for a bulk add sent in chunks, only part of it, was stored). */
  default void failed(Throwable error) {}
}
