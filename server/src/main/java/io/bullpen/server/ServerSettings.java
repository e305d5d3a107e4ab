package io.bullpen.server;

import io.bullpen.config.ConfigSection;
import io.bullpen.config.SectionValues;
import io.bullpen.config.Setting;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The {@code [server]} table of {@code bullpen.toml}, read by {@link ServerMain} (and checked by the {@code bullpen}
 * CLI, which shares the file): every {@link ServerOptions} setting but Redis and the prefix, which come from the
 * shared {@code [redis]} and {@code [queue]} tables. Each key can be overridden by {@code BULLPEN_SERVER_<KEY>}.
 *
 * <p>The section's binder applies the values to a {@link ServerOptions.Builder}, so a value the builder refuses is
 * reported at its key, file and line when the file is loaded, not when the server starts.
 *
 * @param host address to listen on
 * @param port port to listen on, 0 for any free one
 * @param keyFile the API key file ({@link ApiKeys#file})
 * @param queues queues served before they exist in Redis
 * @param discoverQueues whether queues found in Redis are served too
 * @param maxBodyBytes the largest request body accepted
 * @param corsOrigins origins allowed to call the API from a browser; empty: CORS off
 * @param dashboard whether the dashboard is served at {@code /}
 * @param cacheMaxEntries the most query results the read cache holds
 * @param cacheTimeToLive the longest a cached result lives
 * @param versionPollInterval how old a queue's known version may be before its event stream is read again
 */
public record ServerSettings(String host, int port, Path keyFile, List<String> queues, boolean discoverQueues,
    int maxBodyBytes, List<String> corsOrigins, boolean dashboard, int cacheMaxEntries, Duration cacheTimeToLive,
    Duration versionPollInterval) {

  public static final Setting<String> HOST = Setting.string("host", "127.0.0.1")
      .doc("address to listen on (0.0.0.0: every interface)");
  public static final Setting<Integer> PORT = Setting.integer("port", 8080, 0, 65_535)
      .doc("port to listen on; 0 picks a free one");
  public static final Setting<Path> KEY_FILE = Setting.path("key_file").doc("the API key file (JSON, hashes only)");
  public static final Setting<List<String>> QUEUES = Setting.strings("queues", List.of())
      .doc("queues served even before they exist in Redis");
  public static final Setting<Boolean> DISCOVER_QUEUES = Setting.bool("discover_queues", true)
      .doc("serve the queues found in Redis under the prefix too");
  public static final Setting<Integer> MAX_BODY_BYTES = Setting.integer("max_body_bytes",
      ServerOptions.DEFAULT_MAX_BODY_BYTES, 1024, 64 << 20).doc("largest request body accepted; larger ones get 413");
  public static final Setting<List<String>> CORS_ORIGINS = Setting.strings("cors_origins", List.of())
      .doc("origins allowed to call the API from a browser page (scheme://host[:port] or *); none: CORS off");
  public static final Setting<Boolean> DASHBOARD = Setting.bool("dashboard", true)
      .doc("serve the web dashboard at /");
  public static final Setting<Integer> CACHE_MAX_ENTRIES = Setting.integer("cache_max_entries", 10_000, 0,
      Integer.MAX_VALUE).doc("most query results the read cache holds (0 caches nothing)");
  public static final Setting<Duration> CACHE_TIME_TO_LIVE = Setting.duration("cache_time_to_live",
      Duration.ofMinutes(1)).doc("longest a cached result lives, whatever the versions say");
  public static final Setting<Duration> VERSION_POLL_INTERVAL = Setting.duration("version_poll_interval",
      Duration.ofMillis(100)).doc("longest a change made by another process stays unseen by cached reads");

  /** The key file used when {@code key_file} is not set: {@code bullpen-keys.json} in the working directory. */
  public static final Path DEFAULT_KEY_FILE = Path.of("bullpen-keys.json");

  /** {@code [server]}, bound to checked {@link ServerSettings}. */
  public static final ConfigSection<ServerSettings> SECTION = ConfigSection.of("server",
      List.of(HOST, PORT, KEY_FILE, QUEUES, DISCOVER_QUEUES, MAX_BODY_BYTES, CORS_ORIGINS, DASHBOARD,
          CACHE_MAX_ENTRIES, CACHE_TIME_TO_LIVE, VERSION_POLL_INTERVAL),
      ServerSettings::bind);

  public ServerSettings {
    queues = List.copyOf(queues);
    corsOrigins = List.copyOf(corsOrigins);
  }

  private static ServerSettings bind(SectionValues v) {
    ServerSettings settings = new ServerSettings(v.get(HOST), v.get(PORT), v.find(KEY_FILE).orElse(DEFAULT_KEY_FILE),
        v.get(QUEUES), v.get(DISCOVER_QUEUES), v.get(MAX_BODY_BYTES), v.get(CORS_ORIGINS), v.get(DASHBOARD),
        v.get(CACHE_MAX_ENTRIES), v.get(CACHE_TIME_TO_LIVE), v.get(VERSION_POLL_INTERVAL));
    // The builder's checks, now: its InvalidOptionException names the field (corsOrigins → cors_origins), which
    // BullpenConfig reports at that key's file and line.
    settings.applyTo(ServerOptions.builder());
    return settings;
  }

  /** Sets these values on {@code builder} and returns it; Redis, the prefix and the keys are the caller's. */
  public ServerOptions.Builder applyTo(ServerOptions.Builder builder) {
    builder.host(host).port(port).discoverQueues(discoverQueues).maxBodyBytes(maxBodyBytes).dashboard(dashboard)
        .cacheMaxEntries(cacheMaxEntries).cacheTimeToLive(cacheTimeToLive).versionPollInterval(versionPollInterval);
    if (!queues.isEmpty()) {
      builder.queues(queues.toArray(String[]::new));
    }
    if (!corsOrigins.isEmpty()) {
      builder.corsOrigins(corsOrigins.toArray(String[]::new));
    }
    return builder;
  }
}
