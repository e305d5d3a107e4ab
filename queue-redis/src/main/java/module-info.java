/**
 * Bullpen on Redis. Only {@code io.bullpen.redis} is exported: {@code io.bullpen.redis.internal.*} is the
 * engine behind it and stays out of reach, on the module path, of everything else.
 *
 * <p>Lettuce is an automatic module that declares no dependencies, so on the module path its Netty and Reactor
 * are best left on the class path (automatic modules read it); Netty 4.2's jars are explicit modules, which are
 * resolved from the module path only when named, for example with {@code --add-modules ALL-MODULE-PATH}.
 */
// "requires-(transitive-)automatic": Lettuce ships no module descriptor, only an Automatic-Module-Name, a name
// its maintainers keep stable.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.bullpen.queue.redis {
  // The API's signatures use queue-api's job model, queue-scheduler's Repeat and QueueScheduler, and Lettuce's
  // RedisURI (RedisConfig.redisUri()), so whoever reads this module reads those too.
  requires transitive io.bullpen.queue.api;
  requires transitive io.bullpen.queue.scheduler;
  requires transitive lettuce.core;
  requires com.fasterxml.jackson.databind;
  requires com.github.benmanes.caffeine;
  requires org.slf4j;

  exports io.bullpen.redis;
}
