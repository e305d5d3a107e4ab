package io.bullpen.spring.boot;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a worker of queue {@link #queue()}, started and stopped with the application context.
 *
 * <p>On a method of a bean: the method is the processor. Its parameters may be the {@link io.bullpen.Job} and
 * one more of any other type, which receives the job's data (read as that type through Bullpen's own JSON
 * mapper). A return value is the job's result; a {@link java.util.concurrent.CompletionStage} is awaited without
 * holding a thread; a thrown exception fails the attempt. With {@link #batchSize()} above 0 the method takes a
 * {@code List<Job>} and returns a {@code List<JobOutcome>}, one per job.
 *
 * <p>On a bean that is a {@link io.bullpen.Processor}, {@link io.bullpen.AsyncProcessor} or
 * {@link io.bullpen.BatchProcessor} (on its class or its {@code @Bean} method): that bean is the processor.
 *
 * <p>Values left at their defaults come from {@code bullpen.worker.*}; {@code bullpen.workers.<queue>.*}
 * overrides what is given here, so deployments can tune a worker without a rebuild.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface BullpenWorker {
  /** The queue to take jobs from; {@code ${...}} placeholders are resolved. */
  String queue();

  /** Jobs (or batches) run at once; 0: from the properties (1 when they say nothing). */
  int concurrency() default 0;

  /** Jobs per processor call for a batch worker; 0: not a batch worker. */
  int batchSize() default 0;

  /** Longest wait to fill a batch once its first job is in, e.g. {@code 20ms}; empty: from the properties or 10 ms. */
  String batchMaxWait() default "";

  /** The worker's name (shown by BullMQ's {@code getWorkers}); empty: none. */
  String name() default "";
}
