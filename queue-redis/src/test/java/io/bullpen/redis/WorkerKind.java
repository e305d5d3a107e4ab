package io.bullpen.redis;

import io.bullpen.BatchOptions;
import io.bullpen.Job;
import io.bullpen.JobOutcome;
import io.bullpen.Processor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The two worker kinds, for tests that check a feature in both: a {@link Worker}, and a {@link BatchWorker} whose
 * batch processor runs the same per-job processor for each job of its batch, one after the other.
 */
enum WorkerKind {
  JOBS {
    @Override
    AbstractWorker<?> start(String queueName, Processor processor, WorkerOptions options) {
      return new Worker(queueName, processor, options);
    }
  },
  BATCHES {
    @Override
    AbstractWorker<?> start(String queueName, Processor processor, WorkerOptions options) {
      return new BatchWorker(queueName, jobs -> {
        List<JobOutcome> outcomes = new ArrayList<>(jobs.size());
        for (Job job : jobs) {
          try {
            outcomes.add(JobOutcome.completed(processor.process(job)));
          } catch (Exception | AssertionError e) {
            outcomes.add(JobOutcome.failed(e));
          }
        }
        return outcomes;
      }, options, BatchOptions.of(4, Duration.ofMillis(5)));
    }
  };

  abstract AbstractWorker<?> start(String queueName, Processor processor, WorkerOptions options);
}
