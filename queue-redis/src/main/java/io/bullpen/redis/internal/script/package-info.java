/**
 * Internal: may change without notice. How Bullpen talks to Redis: the Lua scripts loaded from
 * {@code /io/bullpen/redis/lua/} with their includes ({@link io.bullpen.redis.internal.script.LuaScript}), run by
 * SHA with a reload on {@code NOSCRIPT} ({@link io.bullpen.redis.internal.script.ScriptRunner}), their replies as
 * plain Java values, and script error codes and Lettuce failures mapped to Bullpen's exceptions in one place.
 *
 * <p>Uses {@code keys}, {@code io.bullpen} and Lettuce.
 */
package io.bullpen.redis.internal.script;
