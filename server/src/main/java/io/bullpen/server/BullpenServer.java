package io.bullpen.server;

import io.bullpen.redis.RedisConnector;
import io.bullpen.server.internal.api.ApiContext;
import io.bullpen.server.internal.cache.QueueVersions;
import io.bullpen.server.internal.cache.ReadCache;
import io.bullpen.server.internal.http.ApiException;
import io.bullpen.server.internal.http.ApiRoutes;
import io.bullpen.server.internal.http.Authenticator;
import io.bullpen.server.internal.http.ErrorBodies;
import io.bullpen.server.internal.http.ErrorMapping;
import io.bullpen.server.internal.http.Route;
import io.bullpen.server.internal.queues.QueueRegistry;
import io.bullpen.server.internal.queues.RedisReads;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.staticfiles.Location;
import io.javalin.router.Endpoint;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Bullpen server: the HTTP API under {@code /api/v1} (API keys with scopes), the web dashboard at {@code /}, and
 * the cached read side behind both, over the queues of one Redis. Runs on its own ({@link ServerMain}) or inside an
 * application:
 *
 * <pre>{@code
 * try (BullpenServer server = BullpenServer.start(options)) {
 *   System.out.println("listening on " + server.uri());
 * }
 * }</pre>
 *
 * <p>Every queue shares one {@link RedisConnector}. Thread-safe; {@link #close()} stops listening, then closes the
 * queues and Redis connections.
 */
public final class BullpenServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BullpenServer.class);
  private static final String DASHBOARD = "/io/bullpen/server/dashboard";

  private final ServerOptions options;
  private final RedisConnector connector;
  private final RedisReads reads;
  private final QueueRegistry queues;
  private final ReadCache cache;
  private final List<Route> routes;
  private final Javalin app;

  private BullpenServer(ServerOptions options) {
    this.options = options;
    this.connector = RedisConnector.create(options.redis());
    try {
      this.reads = new RedisReads(options.redis());
      this.queues = new QueueRegistry(connector, reads, options.prefix(), options.queues(), options.discoverQueues(),
          Clock.systemUTC());
      QueueVersions versions = new QueueVersions(reads, options.prefix(), options.versionPollInterval().toNanos(),
          System::nanoTime);
      this.cache = new ReadCache(versions, options.cacheMaxEntries(), options.cacheTimeToLive());
      this.routes = ApiRoutes.all(new ApiContext(queues, cache));
      this.app = Javalin.create(this::configure);
    } catch (RuntimeException e) {
      connector.close();
      throw e;
    }
  }

  /**
   * Connects to Redis and starts listening.
   *
   * @throws io.bullpen.QueueConnectionException when Redis cannot be reached
   */
  public static BullpenServer start(ServerOptions options) {
    if (options == null) {
      throw new io.bullpen.InvalidOptionException("options", null, "is required");
    }
    BullpenServer server = new BullpenServer(options);
    try {
      server.app.start();
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    LOG.info("Bullpen server listening on {} (Redis {}, prefix {}, keys {})", server.uri(),
        options.redis().maskedUri(), options.prefix(), options.apiKeys().location());
    return server;
  }

  private void configure(JavalinConfig config) {
    config.startup.showJavalinBanner = false;
    config.jetty.host = options.host();
    config.jetty.port = options.port();
    config.http.maxRequestSize = options.maxBodyBytes();
    config.router.ignoreTrailingSlashes = true;
    if (options.dashboard()) {
      config.staticFiles.add(files -> {
        files.hostedPath = "/";
        files.directory = DASHBOARD;
        files.location = Location.CLASSPATH;
      });
    }
    if (!options.corsOrigins().isEmpty()) {
      List<String> origins = options.corsOrigins();
      config.bundledPlugins.enableCors(cors -> cors.addRule(rule -> {
        if (origins.contains("*")) {
          rule.anyHost();
        } else {
          rule.allowHost(origins.get(0), origins.subList(1, origins.size()).toArray(String[]::new));
        }
      }));
    }
    config.routes.addEndpoint(new Endpoint(HandlerType.BEFORE, "/api/*", this::limitBody));
    config.routes.addEndpoint(new Endpoint(HandlerType.AFTER, "/*", BullpenServer::securityHeaders));
    Authenticator auth = new Authenticator(options.apiKeys());
    for (Route route : routes) {
      config.routes.addEndpoint(new Endpoint(HandlerType.findOrCreate(route.method()), route.path(),
          invalidatingAfterWrites(route, auth.protect(route))));
    }
    config.routes.exception(Exception.class, ErrorMapping::handle);
    config.routes.error(404, BullpenServer::notFound);
  }

  private void limitBody(Context ctx) {
    long length = ctx.req().getContentLengthLong();
    if (length > options.maxBodyBytes()) {
      throw new ApiException(413, "body_too_large", null, "the body has " + length
          + " bytes; at most " + options.maxBodyBytes() + " are accepted");
    }
  }

  private static void securityHeaders(Context ctx) {
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'");
    ctx.header("Cache-Control", "no-store");
  }

  private Handler invalidatingAfterWrites(Route route, Handler handler) {
    if (!route.writes()) {
      return handler;
    }
    return ctx -> {
      try {
        handler.handle(ctx);
      } finally {
        cache.written(ctx.pathParam("queue"));
      }
    };
  }

  private static void notFound(Context ctx) {
    // Javalin's own 404 (no route matched) is plain text; the API's 404s are JSON already.
    String type = ctx.res().getContentType();
    if (type == null || !type.startsWith("application/json")) {
      ErrorBodies.write(ctx, 404, "not_found", null, "no route " + ctx.method() + " " + ctx.path());
    }
  }

  /** The port listened on (the one chosen when the options asked for 0). */
  public int port() {
    return app.port();
  }

  /** {@code http://<host>:<port>}. */
  public String uri() {
    String host = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
    return "http://" + host + ":" + port();
  }

  public ServerOptions options() {
    return options;
  }

  /** The read cache's hits, misses, size and evictions since start. */
  public CacheStats cacheStats() {
    return cache.stats();
  }

  /** The API's routes as {@code METHOD path}, in registration order. */
  public List<String> routes() {
    return routes.stream().map(r -> r.method() + " " + r.path()).toList();
  }

  @Override
  public void close() {
    try {
      if (app != null) {
        app.stop();
      }
    } finally {
      if (queues != null) {
        queues.close();
      }
      if (reads != null) {
        reads.close();
      }
      connector.close();
    }
  }
}
