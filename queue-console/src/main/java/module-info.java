/**
 * The live terminal display shared by the {@code bullpen} CLI and the demo. Only {@code io.bullpen.console} is
 * exported; it needs queue-api's {@code JobState} and nothing else.
 */
module io.bullpen.queue.console {
  requires transitive io.bullpen.queue.api;

  exports io.bullpen.console;
}
