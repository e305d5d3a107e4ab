package io.bullpen.redis;

import java.time.Duration;
import java.util.Optional;

/**
 * A snapshot of a worker's health, for health checks and metrics. A running worker fetches at least once per
 * {@code drainDelay} (an idle one wakes from its marker wait and asks again), so a {@link #sinceLastFetch()} far
 * beyond that means the worker looks alive but no longer takes jobs.
 *
 * @param running started and not closing
 * @param paused paused by {@link AbstractWorker#pause()} (a queue paused in Redis is not seen here)
 * @param activeJobs jobs taken from Redis and not yet settled
 * @param sinceLastFetch time since a fetch last got an answer from Redis (jobs or none); empty before the first
 * @param reconnects how often the worker's command connection came back after losing Redis
 */
public record WorkerHealth(boolean running, boolean paused, int activeJobs, Optional<Duration> sinceLastFetch,
    long reconnects) {}
