package io.bullpen;

/**
 * Runs one job on a worker's executor thread and returns its result (any JSON-serialisable value, or
 * {@code null}). Throwing fails the attempt; {@link UnrecoverableError} fails the job without retry.
 */
@FunctionalInterface
public interface Processor {
  Object process(Job job) throws Exception;
}
