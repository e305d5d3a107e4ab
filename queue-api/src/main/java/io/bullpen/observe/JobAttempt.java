package io.bullpen.observe;

import io.bullpen.Job;
import java.time.Duration;
import java.util.Map;

/**
 * One attempt of a job that a worker took.
 *
 * @param queueName the job's queue
 * @param workerId the id of the worker running it
 * @param job the job as the worker fetched it (id, name, data, options, {@link Job#attemptsMade()})
 * @param attempt the attempt's number: 1 for the first
 * @param waitTime how long the job was runnable before this worker took it: from its timestamp plus its delay to
 *     the start; for a later attempt that includes the earlier attempts and their backoff (zero when the clocks
 *     disagree)
 * @param propagationHeaders the headers stored at add time in {@code opts.tm} (by Bullpen or by BullMQ's
 *     telemetry), empty when there are none or they cannot be read
 */
public record JobAttempt(String queueName, String workerId, Job job, int attempt, Duration waitTime,
    Map<String, String> propagationHeaders) {}
