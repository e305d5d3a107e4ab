package io.bullpen.server.internal.queues;

import io.bullpen.QueueNames;
import io.bullpen.redis.Queue;
import io.bullpen.redis.QueueOptions;
import io.bullpen.redis.RedisConnector;
import io.bullpen.server.internal.http.ApiException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The queues the server serves: those configured, and (unless discovery is off) those found in Redis under the
 * prefix. A name that is neither is an unknown queue (404), so a typo in a URL does not make a new queue. Each queue
 * gets one {@link Queue}, made on first use on the shared connector and closed with the registry.
 */
public final class QueueRegistry implements AutoCloseable {
  private static final long RESCAN_FOR_UNKNOWN_MILLIS = 1_000;
  private static final long RESCAN_FOR_LIST_MILLIS = 5_000;

  private final RedisConnector connector;
  private final RedisReads reads;
  private final String prefix;
  private final Set<String> configured;
  private final boolean discover;
  private final Clock clock;
  private final Map<String, Queue> queues = new ConcurrentHashMap<>();
  private volatile Set<String> discovered = Set.of();
  private volatile long scannedAt = Long.MIN_VALUE / 2;

  public QueueRegistry(RedisConnector connector, RedisReads reads, String prefix, Set<String> configured,
      boolean discover, Clock clock) {
    this.connector = connector;
    this.reads = reads;
    this.prefix = prefix;
    this.configured = Set.copyOf(configured);
    this.discover = discover;
    this.clock = clock;
  }

  public String prefix() {
    return prefix;
  }

  /** Every queue served, by name. */
  public List<String> names() {
    Set<String> all = new TreeSet<>(configured);
    all.addAll(discovered(RESCAN_FOR_LIST_MILLIS));
    return List.copyOf(all);
  }

  /**
   * The queue named {@code name}.
   *
   * @throws ApiException 404 {@code unknown_queue} when the server does not serve it
   */
  public Queue queue(String name) {
    Queue known = queues.get(name);
    if (known != null) {
      return known;
    }
    if (!isServed(name)) {
      throw new ApiException(404, "unknown_queue", "queue", "no queue named \"" + name + "\" under prefix \""
          + prefix + "\"" + (discover ? "" : " among the configured queues " + new TreeSet<>(configured)));
    }
    return queues.computeIfAbsent(name, n -> new Queue(n, QueueOptions.builder().connector(connector)
        .prefix(prefix).build()));
  }

  /** Whether the server serves {@code name} (without creating anything). */
  public boolean isServed(String name) {
    if (configured.contains(name)) {
      return true;
    }
    try {
      QueueNames.requireValidName(name);
    } catch (RuntimeException invalid) {
      return false;
    }
    return discovered(0).contains(name) || discovered(RESCAN_FOR_UNKNOWN_MILLIS).contains(name);
  }

  /** The discovered names, scanned again when the last scan is older than {@code maxAgeMillis}. */
  private Set<String> discovered(long maxAgeMillis) {
    if (!discover) {
      return Set.of();
    }
    long now = clock.millis();
    if (maxAgeMillis > 0 && now - scannedAt >= maxAgeMillis) {
      synchronized (this) {
        if (now - scannedAt >= maxAgeMillis) {
          discovered = Set.copyOf(reads.queueNames(prefix));
          scannedAt = clock.millis();
        }
      }
    }
    return discovered;
  }

  public RedisReads reads() {
    return reads;
  }

  @Override
  public void close() {
    queues.values().forEach(Queue::close);
    queues.clear();
  }
}
