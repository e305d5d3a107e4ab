package io.bullpen;

import java.util.concurrent.CompletionStage;

/**
 * Starts one job and returns a stage that completes with its result, for processors that are asynchronous
 * already. A stage completing exceptionally fails the attempt.
 */
@FunctionalInterface
public interface AsyncProcessor {
  CompletionStage<?> process(Job job);
}
