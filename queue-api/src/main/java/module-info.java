/**
 * Bullpen's storage-free API: the job model, processors, events and exceptions that every other module builds
 * on. Needs nothing beyond {@code java.base}.
 */
module io.bullpen.queue.api {
  exports io.bullpen;
  exports io.bullpen.event;
  exports io.bullpen.observe;
}
