/**
 * Internal: may change without notice. The next-run arithmetic of job schedulers with BullMQ 6's rules: cron
 * patterns read like cron-parser (on cron-utils, with BullMQ's daylight-saving handling), {@code every} slots,
 * and the first/next/last-run rules shared by both.
 *
 * <p>Uses {@code io.bullpen} and cron-utils only. Besides {@code io.bullpen.scheduler}, only queue-redis's
 * scheduler store may use it (the module exports it to {@code io.bullpen.queue.redis} alone), so that Java
 * computes run times exactly where Node would.
 */
package io.bullpen.scheduler.internal;
