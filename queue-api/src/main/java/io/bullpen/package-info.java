/**
 * Bullpen's API, free of any storage: the job model ({@link io.bullpen.Job}, {@link io.bullpen.JobOptions} and
 * its values such as {@link io.bullpen.Backoff}, {@link io.bullpen.KeepJobs} and {@link io.bullpen.Deduplication}),
 * flow trees ({@link io.bullpen.FlowNode}, {@link io.bullpen.JobNode}), lease values, the processor interfaces a
 * worker runs, and the unchecked {@link io.bullpen.BullpenException} tree.
 *
 * <p>Uses only the JDK. Nothing here knows Redis, Lettuce or the scheduler: {@code io.bullpen.redis}
 * implements these types, so code written against them stays storage-neutral.
 */
package io.bullpen;
