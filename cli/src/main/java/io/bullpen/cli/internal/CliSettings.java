package io.bullpen.cli.internal;

import io.bullpen.config.ConfigSection;
import io.bullpen.config.Setting;
import java.time.Duration;
import java.util.List;

/**
 * The {@code [cli]} and {@code [migration]} tables, the CLI's own sections of {@code bullpen.toml}.
 *
 * @param output {@code table} or {@code json}
 * @param pageSize jobs per page of {@code jobs list}
 * @param watchInterval refresh period of {@code watch}
 */
public record CliSettings(String output, int pageSize, Duration watchInterval) {
  public static final Setting<String> OUTPUT = Setting.choice("output", "table", "table", "json")
      .doc("default output format (--json overrides)");
  public static final Setting<Integer> PAGE_SIZE = Setting.integer("page_size", 20, 1, 10_000)
      .doc("jobs per page of jobs list");
  public static final Setting<Duration> WATCH_INTERVAL = Setting.duration("watch_interval", Duration.ofSeconds(1))
      .check(d -> d.toMillis() >= 100, "must be at least 100ms").doc("refresh period of watch");

  public static final ConfigSection<CliSettings> SECTION = ConfigSection.of("cli",
      List.of(OUTPUT, PAGE_SIZE, WATCH_INTERVAL),
      v -> new CliSettings(v.get(OUTPUT), v.get(PAGE_SIZE), v.get(WATCH_INTERVAL)));

  /** {@code [migration]}. */
  public record Migration(int batchSize, Duration activeWait) {
    public static final Setting<Integer> BATCH_SIZE = Setting.integer("batch_size", 500, 1, 100_000)
        .doc("jobs copied per batch (one pipeline, one progress record)");
    public static final Setting<Duration> ACTIVE_WAIT = Setting.duration("active_wait", Duration.ofSeconds(30))
        .doc("how long run waits for active jobs to finish before it stops");

    public static final ConfigSection<Migration> SECTION = ConfigSection.of("migration",
        List.of(BATCH_SIZE, ACTIVE_WAIT), v -> new Migration(v.get(BATCH_SIZE), v.get(ACTIVE_WAIT)));
  }
}
