package io.bullpen.server.internal.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.bullpen.server.CacheStats;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The cached read side: a Caffeine cache of query results, each stored with the version of its queue taken before
 * the query ran. An entry is used only while its queue is still at that version; otherwise the read goes to Redis and
 * replaces it. Taking the version before querying means a result that raced with a write is stored under the old
 * version, and so never served after the write. Size-bounded, with a time to live as a last resort.
 */
public final class ReadCache {
  private record Key(String queue, String query) {}

  private record Entry(String version, Object value) {}

  private final QueueVersions versions;
  private final Cache<Key, Entry> cache;
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();

  public ReadCache(QueueVersions versions, long maxEntries, Duration timeToLive) {
    this.versions = versions;
    this.cache = Caffeine.newBuilder().maximumSize(maxEntries).expireAfterWrite(timeToLive).recordStats().build();
  }

  /** The result of {@code query} on {@code queue}: cached if its version is current, else from {@code load}. */
  @SuppressWarnings("unchecked")
  public <T> T get(String queue, String query, Supplier<T> load) {
    String version = versions.current(queue);
    Key key = new Key(queue, query);
    Entry entry = cache.getIfPresent(key);
    if (entry != null && entry.version().equals(version)) {
      hits.increment();
      return (T) entry.value();
    }
    misses.increment();
    T value = load.get();
    cache.put(key, new Entry(version, value));
    return value;
  }

  /** After a write through this server: the queue's cached results are out of date. */
  public void written(String queue) {
    versions.bump(queue);
  }

  public CacheStats stats() {
    return new CacheStats(hits.sum(), misses.sum(), cache.estimatedSize(), cache.stats().evictionCount(),
        versions.polls());
  }
}
