/**
 * Redis (and BullMQ on Node) for tests, demos and benchmarks: {@link io.bullpen.testkit.RedisLauncher} finds or
 * starts a server ({@code REDIS_URL}, a Testcontainers container, or the {@code redis-server} shipped in
 * embedded-redis), {@link io.bullpen.testkit.RedisTest} and {@link io.bullpen.testkit.RedisExtension} hand one to
 * JUnit tests, and {@link io.bullpen.testkit.NodeBullmq} runs the interop scripts.
 *
 * <p>Uses no Bullpen package and no Redis client (readiness is a plain-socket {@code PING}), so every module's
 * tests can depend on it without a cycle.
 */
package io.bullpen.testkit;
