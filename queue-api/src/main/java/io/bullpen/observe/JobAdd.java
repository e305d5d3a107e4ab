package io.bullpen.observe;

import io.bullpen.JobOptions;

/**
 * One job of an add call, as the caller gave it: its name and its options merged with the queue's defaults.
 *
 * @param index the job's position in the call (0 for a single add)
 */
public record JobAdd(int index, String name, JobOptions options) {}
