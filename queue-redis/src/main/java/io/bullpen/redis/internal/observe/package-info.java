/**
 * The registered {@link io.bullpen.observe.JobObserver}s as one: called in order, each guarded so that an observer
 * that throws is logged and skipped. Bottom layer: uses queue-api and SLF4J only.
 */
package io.bullpen.redis.internal.observe;
