package io.bullpen.redis.internal.script;

import io.bullpen.redis.internal.connection.RedisLink;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the servers behind one {@link RedisLink} hold {@link FunctionLibrary}, loading it where it is missing;
 * one per link, shared by every {@link ScriptRunner} on it. Functions only make calls cheaper: a call whose server
 * does not (yet) hold the library runs as an EVAL script, so nothing depends on this state being right. A server
 * that refuses functions for good (before Redis 7, or an ACL user without {@code FUNCTION LOAD} or
 * {@code FCALL}) turns them off for the link; a load that failed otherwise (a timeout, a failover) is tried again
 * on a later call, at most every {@value #RETRY_SECONDS} s per server.
 */
public final class ServerFunctions {
  static final long RETRY_SECONDS = 10;
  private static final Logger LOG = LoggerFactory.getLogger(ServerFunctions.class);
  private static final long LOADED = Long.MIN_VALUE;

  private final RedisLink link;
  private final FunctionLibrary library;
  private final LongSupplier nanoTime;
  /** Per server ({@link RedisLink#serverOf}): loaded, or the nanoTime before which no new load starts. */
  private final ConcurrentMap<String, Long> servers = new ConcurrentHashMap<>();
  private volatile boolean refused;

  ServerFunctions(RedisLink link, FunctionLibrary library, LongSupplier nanoTime) {
    this.link = link;
    this.library = library;
    this.nanoTime = nanoTime;
  }

  /** The state kept with {@code link}. */
  public static ServerFunctions of(RedisLink link) {
    return link.attachment(ServerFunctions.class,
        l -> new ServerFunctions(l, FunctionLibrary.bullpen(), System::nanoTime));
  }

  FunctionLibrary library() {
    return library;
  }

  /** Whether a call routed by {@code key} can run as a function now; when not, starts loading the library there. */
  boolean ready(String key) {
    if (refused) {
      return false;
    }
    String server = link.serverOf(key);
    Long state = servers.get(server);
    if (state != null && state == LOADED) {
      return true;
    }
    if (state == null || nanoTime.getAsLong() - state >= 0) {
      load(key, server);
    }
    return false;
  }

  /**
   * Loads the library on the server of {@code key} and completes when it is there (true), or when the server
   * cannot take it (false); never fails. Used before a queue's first add, so that its first calls already run
   * as functions.
   */
  public CompletableFuture<Boolean> load(String key) {
    if (refused) {
      return CompletableFuture.completedFuture(false);
    }
    return load(key, link.serverOf(key));
  }

  /** The server of {@code key} said it has no such function (flushed, restarted without persistence): reload. */
  void missing(String key) {
    servers.remove(link.serverOf(key));
  }

  /** The server refused FCALL itself ({@code NOPERM}, unknown command): calls stay EVAL scripts from now on. */
  void refuse(Throwable cause) {
    if (!refused) {
      refused = true;
      LOG.info("Redis refuses functions ({}): Bullpen's scripts run as EVAL scripts on this connection",
          cause.getMessage());
    }
  }

  private CompletableFuture<Boolean> load(String key, String server) {
    servers.put(server, nanoTime.getAsLong() + TimeUnit.SECONDS.toNanos(RETRY_SECONDS));
    CompletableFuture<String> loading;
    try {
      loading = link.loadFunctionLibrary(library.code(), key);
    } catch (RuntimeException e) {
      loading = CompletableFuture.failedFuture(e);
    }
    return loading.handle((name, error) -> {
      if (error == null || alreadyLoaded(error)) {
        servers.put(server, LOADED);
        return true;
      }
      Throwable cause = unwrap(error);
      if (refusedForGood(cause)) {
        refuse(cause);
      } else {
        LOG.debug("loading Bullpen's function library failed, will try again: {}", cause.toString());
      }
      return false;
    });
  }

  private static boolean alreadyLoaded(Throwable error) {
    String message = unwrap(error).getMessage();
    return message != null && message.contains("already exists");
  }

  /** Before Redis 7 ("unknown command"), or an ACL user without the right ("NOPERM"). */
  static boolean refusedForGood(Throwable cause) {
    String message = cause.getMessage();
    return message != null && (message.startsWith("NOPERM") || message.contains("unknown command")
        || message.contains("unknown subcommand"));
  }

  static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
  }
}
