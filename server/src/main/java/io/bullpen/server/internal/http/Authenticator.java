package io.bullpen.server.internal.http;

import io.bullpen.server.ApiKey;
import io.bullpen.server.ApiKeys;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the key of each request to a protected route: {@code X-API-Key: <key>} or {@code Authorization: Bearer
 * <key>}. No key or an unknown one is 401, a key without the route's scope or the path's queue 403; each refusal is
 * logged with the method, path, client address and, for 403, the key's id and name, never the key text.
 */
public final class Authenticator {
  private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);
  private static final String ATTRIBUTE = "io.bullpen.server.apiKey";

  private final ApiKeys keys;

  public Authenticator(ApiKeys keys) {
    this.keys = keys;
  }

  /** {@code route}'s handler behind the key check its scope asks for (none when the scope is null). */
  public Handler protect(Route route) {
    if (route.scope() == null) {
      return route.handler();
    }
    boolean queueScoped = route.path().contains("{queue}");
    return ctx -> {
      ApiKey key = authenticate(ctx);
      if (!key.grants(route.scope())) {
        throw refuse(ctx, 403, "forbidden", "key " + key.id() + " (" + key.name() + ") lacks scope "
            + route.scope().wireName(), "this key lacks the " + route.scope().wireName() + " scope");
      }
      if (queueScoped && !key.coversQueue(ctx.pathParam("queue"))) {
        throw refuse(ctx, 403, "forbidden", "key " + key.id() + " (" + key.name() + ") does not cover queue "
            + ctx.pathParam("queue"), "this key does not cover queue \"" + ctx.pathParam("queue") + "\"");
      }
      ctx.attribute(ATTRIBUTE, key);
      route.handler().handle(ctx);
    };
  }

  private ApiKey authenticate(Context ctx) {
    Optional<String> presented = presented(ctx);
    if (presented.isEmpty()) {
      throw refuse(ctx, 401, "unauthorized", "no API key", "send an API key in the X-API-Key header");
    }
    return keys.authenticate(presented.get()).orElseThrow(() -> refuse(ctx, 401, "unauthorized",
        "unknown or revoked API key", "the API key is not valid (unknown, revoked or mistyped)"));
  }

  private static Optional<String> presented(Context ctx) {
    String header = ctx.header("X-API-Key");
    if (header != null && !header.isBlank()) {
      return Optional.of(header.trim());
    }
    String authorization = ctx.header("Authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.of(authorization.substring(7).trim());
    }
    return Optional.empty();
  }

  private static ApiException refuse(Context ctx, int status, String code, String logged, String message) {
    LOG.warn("{} {} {} from {}: {}", status, ctx.method(), ctx.path(), ctx.ip(), logged);
    return new ApiException(status, code, null, message);
  }

  /** The key that the request was authenticated with. */
  public static ApiKey key(Context ctx) {
    ApiKey key = ctx.attribute(ATTRIBUTE);
    if (key == null) {
      throw new IllegalStateException("route " + ctx.path() + " is not protected but asks for the key");
    }
    return key;
  }
}
