/**
 * Redis (and BullMQ on Node) for tests, demos and benchmarks: {@link io.bullpen.testkit.RedisLauncher} finds or
 * starts a server ({@code REDIS_URL}, a Testcontainers container, or the {@code redis-server} shipped in
 * embedded-redis), {@link io.bullpen.testkit.RedisTest} and {@link io.bullpen.testkit.RedisExtension} hand one to
 * JUnit tests, and {@link io.bullpen.testkit.NodeBullmq} runs the interop scripts.
 *
 * <p>Servers of a test's own, started as child processes on free loopback ports and stopped by pid on close:
 * {@link io.bullpen.testkit.RedisProcess} (one server to kill, freeze, thaw, stop and restart, with ACL users if
 * asked), {@link io.bullpen.testkit.RedisCluster} (masters and replicas joined over Lettuce, no
 * {@code redis-cli}), {@link io.bullpen.testkit.RedisSentinels} (a master, a replica and three sentinels) and
 * {@link io.bullpen.testkit.TlsRedis} (TLS only, with {@link io.bullpen.testkit.TlsCertificates} made by
 * {@code openssl}, on a TLS-capable {@code redis-server}).
 *
 * <p>Uses no Bullpen package, so every module's tests can depend on it without a cycle. Single servers are
 * checked with a plain-socket probe; the cluster and sentinel topologies are driven through Lettuce.
 */
package io.bullpen.testkit;
