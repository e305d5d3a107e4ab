/**
 * Internal: may change without notice. The machinery behind {@code io.bullpen.redis}, split by concern into
 * sub-packages that form layers, each using only the ones below it (checked by queue-redis's
 * {@code ArchitectureTest}):
 *
 * <ol>
 *   <li>{@code keys}, {@code codec}, {@code connection}, {@code observe}: key names, JSON and option codecs, Lettuce
 *       connections, the registered observers as one;
 *   <li>{@code script}: loading and running the Lua scripts, replies and error codes;
 *   <li>{@code job}: the job hash as a {@link io.bullpen.Job} and its job-level operations;
 *   <li>{@code adding}, {@code reading}, {@code admin}, {@code scheduling}, {@code events}, {@code settle}: one
 *       feature each, independent of one another;
 *   <li>{@code lease}: the claim/settle-by-id API, on {@code settle};
 *   <li>{@code worker}: the worker engine, on everything below.
 * </ol>
 *
 * <p>None of them uses the entry classes of {@code io.bullpen.redis} ({@code Queue}, {@code Worker}, ...); the
 * value types there ({@code RedisConfig}, {@code RawJson}, the options classes) may be used.
 */
package io.bullpen.redis.internal;
