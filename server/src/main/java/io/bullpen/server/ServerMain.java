package io.bullpen.server;

import io.bullpen.BullpenException;
import io.bullpen.redis.RedisConfig;
import io.bullpen.testkit.RedisLauncher;
import io.bullpen.testkit.RunningRedis;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar server.jar [serve]} runs the server; {@code keys create|revoke|list} manages the key file.
 *
 * <p>Settings come from arguments or environment variables: {@code --redis}/{@code REDIS_URL} (none: an embedded
 * Redis is started for this run, as for a try-out), {@code --port}/{@code BULLPEN_PORT} (8080),
 * {@code --host}/{@code BULLPEN_HOST} (127.0.0.1), {@code --keys}/{@code BULLPEN_KEYS} (bullpen-keys.json),
 * {@code --prefix}/{@code BULLPEN_PREFIX} (bull), {@code --queues}/{@code BULLPEN_QUEUES} (comma-separated queues to
 * serve before they exist). When the key file holds no key, {@code serve} makes an admin key and prints it once.
 */
public final class ServerMain {
  private final Map<String, String> env;
  private final PrintStream out;

  ServerMain(Map<String, String> env, PrintStream out) {
    this.env = env;
    this.out = out;
  }

  public static void main(String[] args) {
    try {
      System.exit(new ServerMain(System.getenv(), System.out).run(args));
    } catch (BullpenException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(2);
    }
  }

  /** Runs the command; returns the exit status ({@code serve} returns only when the JVM is told to stop). */
  int run(String[] args) {
    Deque<String> rest = new ArrayDeque<>(Arrays.asList(args));
    String command = rest.isEmpty() || rest.peek().startsWith("--") ? "serve" : rest.pop();
    Settings settings = new Settings(rest, env);
    switch (command) {
      case "serve" -> serve(settings);
      case "keys" -> {
        return keys(settings);
      }
      default -> {
        usage();
        return 2;
      }
    }
    return 0;
  }

  private void serve(Settings settings) {
    settings.noneLeft();
    ApiKeys keys = ApiKeys.file(Path.of(settings.keyFile));
    if (keys.list().isEmpty()) {
      CreatedApiKey first = keys.create("initial admin key", EnumSet.of(Scope.ADMIN), List.of("*"));
      out.println("No API key in " + keys.location() + "; made an admin key. It is shown only this once:");
      out.println();
      out.println("    " + first.secret());
      out.println();
    }
    RunningRedis embedded = settings.redis == null ? RedisLauncher.startEmbedded() : null;
    String redis = embedded != null ? embedded.uri() : settings.redis;
    if (embedded != null) {
      out.println("No REDIS_URL: started an embedded Redis at " + redis + " for this run (its data goes with it)");
    }
    ServerOptions.Builder options = ServerOptions.builder().redis(RedisConfig.of(redis)).apiKeys(keys)
        .host(settings.host).port(settings.port).prefix(settings.prefix);
    if (!settings.queues.isEmpty()) {
      options.queues(settings.queues.toArray(String[]::new));
    }
    BullpenServer server = BullpenServer.start(options.build());
    out.println("Bullpen server on " + server.uri() + "  (dashboard: " + server.uri() + "/, API: " + server.uri()
        + "/api/v1, OpenAPI: " + server.uri() + "/api/v1/openapi.json)");
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      if (embedded != null) {
        embedded.close();
      }
      stopped.countDown();
    }, "bullpen-server-stop"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private int keys(Settings settings) {
    String action = settings.positional("keys action (create, revoke or list)");
    ApiKeys keys = ApiKeys.file(Path.of(settings.keyFile));
    switch (action) {
      case "create" -> {
        String name = settings.option("--name", "a name for the key");
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String scope : settings.option("--scopes", "scopes, e.g. read,produce").split(",")) {
          scopes.add(Scope.parse(scope));
        }
        List<String> queues = settings.queues.isEmpty() ? List.of("*") : settings.queues;
        settings.noneLeft();
        CreatedApiKey made = keys.create(name, scopes, queues);
        out.println("id " + made.key().id() + "  scopes " + made.key().scopes() + "  queues " + queues);
        out.println("key (shown once, store it now): " + made.secret());
        return 0;
      }
      case "revoke" -> {
        String id = settings.positional("the id of the key to revoke");
        settings.noneLeft();
        if (!keys.revoke(id)) {
          out.println("no key with id " + id + " in " + keys.location());
          return 1;
        }
        out.println("revoked " + id);
        return 0;
      }
      case "list" -> {
        settings.noneLeft();
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
    out.println("usage: server [serve] [--redis URL] [--port N] [--host H] [--keys FILE] [--prefix P] [--queues a,b]");
    out.println("       server keys create --name NAME --scopes read,produce,work,admin [--queues 'mail-*'] [--keys F]");
    out.println("       server keys revoke ID [--keys FILE]");
    out.println("       server keys list [--keys FILE]");
  }

  /** The settings, from arguments first, then the environment, then defaults. */
  private static final class Settings {
    private final Deque<String> args;
    final String redis;
    final String host;
    final int port;
    final String keyFile;
    final String prefix;
    final List<String> queues;

    Settings(Deque<String> args, Map<String, String> env) {
      this.args = args;
      this.redis = take("--redis", blankToNull(env.get("REDIS_URL")));
      this.host = take("--host", env.getOrDefault("BULLPEN_HOST", "127.0.0.1"));
      String portText = take("--port", env.getOrDefault("BULLPEN_PORT", "8080"));
      try {
        this.port = Integer.parseInt(portText);
      } catch (NumberFormatException e) {
        throw new io.bullpen.InvalidOptionException("port", portText, "must be a number");
      }
      this.keyFile = take("--keys", env.getOrDefault("BULLPEN_KEYS", "bullpen-keys.json"));
      this.prefix = take("--prefix", env.getOrDefault("BULLPEN_PREFIX", "bull"));
      String queueList = take("--queues", env.getOrDefault("BULLPEN_QUEUES", ""));
      this.queues = Arrays.stream(queueList.split(",")).map(String::trim).filter(q -> !q.isEmpty()).toList();
    }

    private static String blankToNull(String value) {
      return value == null || value.isBlank() ? null : value;
    }

    /** Removes {@code --name value} from the arguments; {@code fallback} when absent. */
    private String take(String name, String fallback) {
      List<String> list = List.copyOf(args);
      int at = list.indexOf(name);
      if (at < 0) {
        return fallback;
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

    String option(String name, String what) {
      String value = take(name, null);
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
  }
}
