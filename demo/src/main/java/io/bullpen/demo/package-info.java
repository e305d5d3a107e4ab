/**
 * A runnable tour of Bullpen ({@code ./mvnw -pl demo -am package exec:java}): a producer, a worker and an event
 * listener on one queue.
 *
 * <p>Uses only the public API ({@code io.bullpen}, {@code io.bullpen.event}, {@code io.bullpen.redis}) and the
 * test kit for its Redis, as an application would.
 */
package io.bullpen.demo;
