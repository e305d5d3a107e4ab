package io.bullpen.server;

/**
 * How the server's read cache has done since it started.
 *
 * @param hits reads answered from the cache (an entry of the queue's current version)
 * @param misses reads that went to Redis: nothing cached, or an entry of an older version
 * @param size entries held now
 * @param evictions entries dropped to stay within the size bound or after their time to live
 * @param versionPolls reads of queues' event streams to learn whether another process changed them
 */
public record CacheStats(long hits, long misses, long size, long evictions, long versionPolls) {
  /** {@code hits / (hits + misses)}, 0 before the first read. */
  public double hitRate() {
    long total = hits + misses;
    return total == 0 ? 0.0 : (double) hits / total;
  }
}
