package io.bullpen.cli.internal;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The options every command takes (before or after its name). */
public final class GlobalOptions {
  @Option(names = {"-c", "--config"}, scope = ScopeType.INHERIT, paramLabel = "FILE",
      description = "configuration file (default: $BULLPEN_CONFIG, else ./bullpen.toml when present)")
  public Path configFile;

  @Option(names = "--redis", scope = ScopeType.INHERIT, paramLabel = "URI",
      description = "Redis URI, overriding redis.uri (e.g. redis://127.0.0.1:6379, redis-cluster://h1:7000,h2:7000)")
  public String redisUri;

  @Option(names = "--prefix", scope = ScopeType.INHERIT, paramLabel = "PREFIX",
      description = "key prefix, overriding queue.prefix (default bull)")
  public String prefix;

  @Option(names = "--json", scope = ScopeType.INHERIT, description = "print JSON instead of tables")
  public boolean json;
}
