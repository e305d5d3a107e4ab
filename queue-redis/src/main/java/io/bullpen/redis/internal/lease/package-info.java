/**
 * Internal: may change without notice. The lease API behind {@code Queue.claim}, {@code ack}, {@code fail},
 * {@code abandon} and {@code extend}: jobs claimed under an owner token and settled later by id, each checked on
 * its own.
 *
 * <p>Uses {@code settle}, {@code job}, {@code script}, {@code keys} and queue-api.
 */
package io.bullpen.redis.internal.lease;
