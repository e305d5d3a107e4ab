package io.bullpen.cli.internal.migrate;

import io.bullpen.redis.RedisConfig;
import io.bullpen.redis.internal.connection.SharedConnections;
import io.bullpen.redis.internal.keys.QueueKeys;
import java.time.Clock;

/** The connections to both deployments of a migration, closed together. */
public final class Sides implements AutoCloseable {
  private final SharedConnections source;
  private final SharedConnections target;

  private Sides(SharedConnections source, SharedConnections target) {
    this.source = source;
    this.target = target;
  }

  /** Connects to {@code fromUri} (null: {@code defaults}' URI) and {@code toUri}, with the timeouts of {@code defaults}. */
  public static Sides open(RedisConfig defaults, String fromUri, String toUri) {
    RedisConfig from = fromUri == null ? defaults : like(defaults, fromUri);
    SharedConnections source = SharedConnections.create(from, null);
    try {
      return new Sides(source, SharedConnections.create(like(defaults, toUri), null));
    } catch (RuntimeException e) {
      source.close();
      throw e;
    }
  }

  private static RedisConfig like(RedisConfig defaults, String uri) {
    return RedisConfig.builder().uri(uri).commandTimeout(defaults.commandTimeout())
        .connectTimeout(defaults.connectTimeout()).build();
  }

  public SharedConnections source() {
    return source;
  }

  /** The migration of {@code queue} from {@code fromPrefix} to {@code toPrefix}. */
  public Migration migration(String fromPrefix, String toPrefix, String queue, int batch, Clock clock) {
    return new Migration(new Side(source, new QueueKeys(fromPrefix, queue)),
        new Side(target, new QueueKeys(toPrefix, queue)), batch, clock);
  }

  @Override
  public void close() {
    source.close();
    target.close();
  }
}
