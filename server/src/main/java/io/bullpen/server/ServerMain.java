package io.bullpen.server;

import io.bullpen.BullpenException;
import io.bullpen.config.BullpenConfig;
import io.bullpen.config.ConfigException;
import io.bullpen.config.ConfigSection;
import io.bullpen.config.QueueSettings;
import io.bullpen.config.RedisSettings;
import io.bullpen.redis.RedisConfig;
import io.bullpen.testkit.RedisLauncher;
import io.bullpen.testkit.RunningRedis;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar bullpen-server.jar [serve]} runs the server; {@code keys create|revoke|list} manages the key
 * file; {@code config} prints the effective configuration.
 *
 * <p>Settings come from the shared {@code bullpen.toml} ({@code --config FILE}, else {@code $BULLPEN_CONFIG}, else
 * {@code ./bullpen.toml} when present): {@code [server]} ({@link ServerSettings}), {@code [redis]} and
 * {@code [queue]}, each key overridable by {@code BULLPEN_<TABLE>_<KEY>}; then the flags {@code --redis} (as
 * {@code BULLPEN_REDIS_URI}), {@code --port}, {@code --host}, {@code --keys}, {@code --prefix}, {@code --queues}.
 * When {@code redis.uri} is set nowhere, {@code REDIS_URL} is used, and without it an embedded Redis is started for
 * this run, as for a try-out. When the key file holds no key, {@code serve} makes an admin key and prints it once.
 */
public final class ServerMain {
  /** The exit status for a refused configuration, as the CLI's. */
  static final int CONFIG_REFUSED = 5;

  private static final List<ConfigSection<?>> SECTIONS = List.of(RedisSettings.SECTION, QueueSettings.SECTION,
      ServerSettings.SECTION);

  private final Map<String, String> env;
  private final PrintStream out;

  ServerMain(Map<String, String> env, PrintStream out) {
    this.env = env;
    this.out = out;
  }

  public static void main(String[] args) {
    try {
      System.exit(new ServerMain(System.getenv(), System.out).run(args));
    } catch (ConfigException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(CONFIG_REFUSED);
    } catch (BullpenException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(2);
    }
  }

  /** Runs the command; returns the exit status ({@code serve} returns only when the JVM is told to stop). */
  int run(String[] args) {
    Deque<String> rest = new ArrayDeque<>(Arrays.asList(args));
    String command = rest.isEmpty() || rest.peek().startsWith("--") ? "serve" : rest.pop();
    Flags flags = new Flags(rest);
    switch (command) {
      case "serve" -> serve(flags);
      case "keys" -> {
        return keys(flags);
      }
      case "config" -> {
        flags.noneLeft();
        out.print(load(flags, SECTIONS).describe());
        return 0;
      }
      default -> {
        usage();
        return 2;
      }
    }
    return 0;
  }

  private void serve(Flags flags) {
    try (Running running = start(flags)) {
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        running.close();
        stopped.countDown();
      }, "bullpen-server-stop"));
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A started server and the embedded Redis started for it, if any; closing stops both. */
  record Running(BullpenServer server, RunningRedis embedded) implements AutoCloseable {
    @Override
    public void close() {
      try {
        server.close();
      } finally {
        if (embedded != null) {
          embedded.close();
        }
      }
    }
  }

  /** Loads the configuration, makes the first key if there is none, and starts the server. */
  Running start(Flags flags) {
    String redisFlag = flags.take("--redis");
    String port = flags.take("--port");
    String host = flags.take("--host");
    String keyFile = flags.take("--keys");
    String prefix = flags.take("--prefix");
    String queues = flags.take("--queues");
    flags.noneLeft();
    Map<String, String> overrides = new HashMap<>();
    if (redisFlag != null) {
      overrides.put(RedisSettings.SECTION.envName(RedisSettings.URI), redisFlag);
    }
    BullpenConfig config = load(flags, overrides);
    RunningRedis embedded = null;
    if (config.values(RedisSettings.SECTION).origin(RedisSettings.URI).equals("default")) {
      String fromEnv = env.get(RedisLauncher.REDIS_URL_ENV);
      if (fromEnv == null || fromEnv.isBlank()) {
        embedded = RedisLauncher.startEmbedded();
        out.println("No redis.uri or REDIS_URL: started an embedded Redis at " + embedded.uri()
            + " for this run (its data goes with it)");
      }
      overrides.put(RedisSettings.SECTION.envName(RedisSettings.URI), embedded != null ? embedded.uri() : fromEnv);
      config = load(flags, overrides);
    }
    try {
      ServerSettings settings = config.get(ServerSettings.SECTION);
      ApiKeys keys = ApiKeys.file(keyFile != null ? Path.of(keyFile) : settings.keyFile());
      if (keys.list().isEmpty()) {
        CreatedApiKey first = keys.create("initial admin key", EnumSet.of(Scope.ADMIN), List.of("*"));
        out.println("No API key in " + keys.location() + "; made an admin key. It is shown only this once:");
        out.println();
        out.println("    " + first.secret());
        out.println();
      }
      RedisConfig redis = config.get(RedisSettings.SECTION);
      ServerOptions.Builder options = settings.applyTo(ServerOptions.builder()).redis(redis).apiKeys(keys)
          .prefix(prefix != null ? prefix : config.get(QueueSettings.SECTION).prefix());
      if (port != null) {
        options.port(Flags.number("--port", port));
      }
      if (host != null) {
        options.host(host);
      }
      if (queues != null) {
        options.queues(Arrays.stream(queues.split(",")).map(String::trim).filter(q -> !q.isEmpty())
            .toArray(String[]::new));
      }
      BullpenServer server = BullpenServer.start(options.build());
      out.println("Bullpen server on " + server.uri() + "  (dashboard: " + server.uri() + "/, API: " + server.uri()
          + "/api/v1, OpenAPI: " + server.uri() + "/api/v1/openapi.json)");
      return new Running(server, embedded);
    } catch (RuntimeException e) {
      if (embedded != null) {
        embedded.close();
      }
      throw e;
    }
  }

  private BullpenConfig load(Flags flags, Map<String, String> overrides) {
    return load(flags, SECTIONS, overrides);
  }

  private BullpenConfig load(Flags flags, List<ConfigSection<?>> sections) {
    return load(flags, sections, Map.of());
  }

  private BullpenConfig load(Flags flags, List<ConfigSection<?>> sections, Map<String, String> overrides) {
    Map<String, String> effective = new HashMap<>(env);
    effective.putAll(overrides);
    return BullpenConfig.load(BullpenConfig.locate(flags.configFile, env), effective, sections);
  }

  /** The key file: {@code --keys}, else {@code server.key_file}. */
  private ApiKeys keyFile(Flags flags) {
    String given = flags.take("--keys");
    return ApiKeys.file(given != null ? Path.of(given)
        : load(flags, List.of(ServerSettings.SECTION)).get(ServerSettings.SECTION).keyFile());
  }

  private int keys(Flags flags) {
    String action = flags.positional("keys action (create, revoke or list)");
    switch (action) {
      case "create" -> {
        String name = flags.required("--name", "a name for the key");
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String scope : flags.required("--scopes", "scopes, e.g. read,produce").split(",")) {
          scopes.add(Scope.parse(scope));
        }
        String queueList = flags.take("--queues");
        List<String> queues = queueList == null ? List.of("*")
            : Arrays.stream(queueList.split(",")).map(String::trim).filter(q -> !q.isEmpty()).toList();
        ApiKeys keys = keyFile(flags);
        flags.noneLeft();
        CreatedApiKey made = keys.create(name, scopes, queues);
        out.println("id " + made.key().id() + "  scopes " + made.key().scopes() + "  queues " + queues);
        out.println("key (shown once, store it now): " + made.secret());
        return 0;
      }
      case "revoke" -> {
        String id = flags.positional("the id of the key to revoke");
        ApiKeys keys = keyFile(flags);
        flags.noneLeft();
        if (!keys.revoke(id)) {
          out.println("no key with id " + id + " in " + keys.location());
          return 1;
        }
        out.println("revoked " + id);
        return 0;
      }
      case "list" -> {
        ApiKeys keys = keyFile(flags);
        flags.noneLeft();
        for (ApiKey key : keys.list()) {
          out.println(key.id() + "  " + key.name() + "  scopes " + key.scopes() + "  queues " + key.queuePatterns()
              + "  created " + key.createdAt());
        }
        return 0;
      }
      default -> {
        usage();
        return 2;
      }
    }
  }

  private void usage() {
    out.println("usage: server [serve] [--config FILE] [--redis URL] [--port N] [--host H] [--keys FILE] [--prefix P]"
        + " [--queues a,b]");
    out.println("       server keys create --name NAME --scopes read,produce,work,admin [--queues 'mail-*'] [--keys F]");
    out.println("       server keys revoke ID [--keys FILE]");
    out.println("       server keys list [--keys FILE]");
    out.println("       server config [--config FILE]   (the effective configuration, secrets masked)");
    out.println("Settings: bullpen.toml [server], [redis], [queue]; BULLPEN_SERVER_PORT etc.; see docs/configuration.md");
  }

  /** The command line's flags, taken one by one; {@code --config} is taken at once, for every command. */
  static final class Flags {
    private final Deque<String> args;
    final Path configFile;

    Flags(Deque<String> args) {
      this.args = args;
      String config = take("--config");
      this.configFile = config == null ? null : Path.of(config);
    }

    /** Removes {@code --name value} from the arguments and returns the value; null when absent. */
    String take(String name) {
      List<String> list = List.copyOf(args);
      int at = list.indexOf(name);
      if (at < 0) {
        return null;
      }
      if (at + 1 >= list.size()) {
        throw new io.bullpen.InvalidOptionException(name, null, "needs a value");
      }
      String value = list.get(at + 1);
      List<String> kept = new java.util.ArrayList<>(list);
      kept.subList(at, at + 2).clear();
      args.clear();
      args.addAll(kept);
      return value;
    }

    String required(String name, String what) {
      String value = take(name);
      if (value == null) {
        throw new io.bullpen.InvalidOptionException(name, null, "is required: " + what);
      }
      return value;
    }

    String positional(String what) {
      if (args.isEmpty() || args.peek().startsWith("--")) {
        throw new io.bullpen.InvalidOptionException("argument", null, "missing " + what);
      }
      return args.pop();
    }

    void noneLeft() {
      if (!args.isEmpty()) {
        throw new io.bullpen.InvalidOptionException("argument", String.join(" ", args), "is not understood");
      }
    }

    static int number(String flag, String text) {
      try {
        return Integer.parseInt(text.trim());
      } catch (NumberFormatException e) {
        throw new io.bullpen.InvalidOptionException(flag, text, "must be a number");
      }
    }
  }
}
