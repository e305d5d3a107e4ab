/**
 * Bullpen's configuration file ({@code bullpen.toml}): sections bound to typed values, defaults, {@code BULLPEN_…}
 * environment overrides and errors that name the key, the file and the line. Only {@code io.bullpen.config} is
 * exported.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.bullpen.queue.config {
  requires transitive io.bullpen.queue.redis;
  requires com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.dataformat.toml;

  exports io.bullpen.config;
}
