package io.bullpen.cli.internal;

import io.bullpen.config.BullpenConfig;
import io.bullpen.config.ConfigSection;
import io.bullpen.config.QueueSettings;
import io.bullpen.config.RedisSettings;
import io.bullpen.redis.Queue;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.RedisConfig;
import io.bullpen.redis.RedisConnector;
import io.bullpen.redis.internal.connection.SharedConnections;
import io.bullpen.redis.internal.keys.QueueKeys;
import io.bullpen.server.ServerSettings;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.api.sync.RedisKeyCommands;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * What one run of the CLI shares: the effective configuration (file, environment, then command-line flags), the
 * output, and the Redis connections, opened on first use and closed at the end.
 */
public final class Session implements AutoCloseable {
  /**
   * The sections the CLI reads. {@code [server]} is the HTTP server's, bound by its own binder so that
   * {@code bullpen config check} refuses what the server would, and {@code keys} finds the server's key file.
   */
  public static final List<ConfigSection<?>> SECTIONS = List.of(RedisSettings.SECTION, QueueSettings.SECTION,
      CliSettings.SECTION, CliSettings.Migration.SECTION, ServerSettings.SECTION);

  private final Map<String, String> env;
  private final Output output;
  private final InputStream in;
  private final Interrupts interrupts;
  private final BullpenConfig config;
  private final RedisConfig redis;
  private final String prefix;
  private RedisConnector connector;
  private SharedConnections raw;
  private ClientResources resources;
  private final Map<String, Queue> queues = new HashMap<>();

  public Session(GlobalOptions options, Terminal terminal, Interrupts interrupts) {
    this.env = terminal.env();
    this.in = terminal.in();
    this.interrupts = interrupts;
    this.config = BullpenConfig.load(configFile(options, terminal.env()), env, SECTIONS);
    RedisConfig fromFile = config.get(RedisSettings.SECTION);
    this.redis = options.redisUri == null ? fromFile : RedisConfig.builder().uri(options.redisUri)
        .commandTimeout(fromFile.commandTimeout()).connectTimeout(fromFile.connectTimeout())
        .maxPayloadBytes(fromFile.maxPayloadBytes()).build();
    this.prefix = options.prefix != null ? QueueKeys.validatePrefix(options.prefix)
        : config.get(QueueSettings.SECTION).prefix();
    boolean json = options.json || config.get(CliSettings.SECTION).output().equals("json");
    this.output = new Output(terminal.out(), terminal.err(), json);
  }

  /** {@code --config}, else {@code BULLPEN_CONFIG}, else {@code ./bullpen.toml} when it exists, else none. */
  static Path configFile(GlobalOptions options, Map<String, String> env) {
    return BullpenConfig.locate(options.configFile, env);
  }

  public BullpenConfig config() {
    return config;
  }

  public RedisConfig redis() {
    return redis;
  }

  public String prefix() {
    return prefix;
  }

  public Output out() {
    return output;
  }

  public InputStream in() {
    return in;
  }

  public Map<String, String> env() {
    return env;
  }

  public Interrupts interrupts() {
    return interrupts;
  }

  public CliSettings cli() {
    return config.get(CliSettings.SECTION);
  }

  public CliSettings.Migration migration() {
    return config.get(CliSettings.Migration.SECTION);
  }

  /** Whether stderr is a terminal, where progress bars redraw in place. */
  public boolean interactive() {
    return !output.json() && io.bullpen.console.LiveScreen.isTerminal();
  }

  /** The keys of {@code queue} under this session's prefix. */
  public QueueKeys keys(String queue) {
    return new QueueKeys(prefix, queue);
  }

  /** A connector shared by every queue this session opens. */
  public synchronized RedisConnector connector() {
    if (connector == null) {
      connector = RedisConnector.create(redis, resources());
    }
    return connector;
  }

  /**
   * One set of Lettuce event loops and timers for both clients of the run (the connector's and the plain one):
   * creating them is most of a short command's start-up, so it is paid once.
   */
  private ClientResources resources() {
    if (resources == null) {
      resources = DefaultClientResources.builder().reconnectDelay(Delay.equalJitter(Duration.ofMillis(1),
          redis.reconnectDelayMax(), 1, TimeUnit.MILLISECONDS)).build();
    }
    return resources;
  }

  /** Plain commands (SCAN, EXISTS, ...), on connections of their own. */
  public synchronized SharedConnections raw() {
    if (raw == null) {
      raw = SharedConnections.create(redis, resources());
    }
    return raw;
  }

  /** The queue {@code name}, which must exist (any of its keys). */
  public Queue existingQueue(String name) {
    QueueKeys keys = keys(name);
    long found = raw().commands().sync().exists(keys.meta(), keys.idCounter(), keys.waitList(), keys.active(),
        keys.prioritized(), keys.delayed(), keys.completed(), keys.failed(), keys.waitingChildren(), keys.repeat());
    if (found == 0) {
      throw ExitCodes.notFound("no queue '" + name + "' under prefix '" + prefix + "' at " + redis.maskedUri());
    }
    return queue(name);
  }

  /** The queue {@code name}, created on first write if it does not exist. */
  public synchronized Queue queue(String name) {
    return queues.computeIfAbsent(name, n -> new Queue(n, QueueOptions.builder().connector(connector())
        .prefix(prefix).maxLenEvents(config.get(QueueSettings.SECTION).maxLenEvents()).build()));
  }

  /** The names of the queues under this session's prefix (those with a {@code meta} hash), sorted. */
  public List<String> queueNames() {
    return queueNames(raw().commands().sync(), prefix);
  }

  /** The queues under {@code prefix} that {@code commands} sees: SCAN for {@code <prefix>:*:meta}. */
  public static List<String> queueNames(RedisKeyCommands<String, String> commands, String prefix) {
    TreeSet<String> names = new TreeSet<>();
    String match = QueueKeys.globEscape(prefix) + ":*:meta";
    ScanCursor cursor = ScanCursor.INITIAL;
    do {
      KeyScanCursor<String> page = commands.scan(cursor, ScanArgs.Builder.matches(match).limit(1000));
      for (String key : page.getKeys()) {
        String middle = key.substring(prefix.length() + 1, key.length() - ":meta".length());
        if (!middle.isEmpty() && middle.indexOf(':') < 0) {
          names.add(middle);
        }
      }
      cursor = page;
    } while (!cursor.isFinished());
    return new ArrayList<>(names);
  }

  @Override
  public void close() {
    queues.values().forEach(Queue::close);
    if (connector != null) {
      connector.close();
    }
    if (raw != null) {
      raw.close();
    }
    if (resources != null) {
      resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
  }
}
