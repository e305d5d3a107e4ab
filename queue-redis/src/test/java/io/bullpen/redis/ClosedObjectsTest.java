package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.ClosedException;
import io.bullpen.FlowNode;
import io.bullpen.GroupLimits;
import io.bullpen.Job;
import io.bullpen.JobOptions;
import io.bullpen.JobSpec;
import io.bullpen.JobState;
import io.bullpen.LeaseFailure;
import io.bullpen.event.QueueEvent;
import io.bullpen.event.QueueListener;
import io.bullpen.redis.internal.job.RedisJob;
import io.bullpen.scheduler.QueueScheduler;
import io.bullpen.scheduler.QueueSchedulerOptions;
import io.bullpen.scheduler.Repeat;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every public method of a closed Queue (and its views, and the jobs it returned), FlowProducer, QueueEvents and
 * QueueScheduler throws {@link ClosedException} naming the object, blocking and async alike; found by reflection,
 * so a method added later is covered. Only the getters of what the object was built with, and close itself, still
 * answer.
 */
@RedisTest
class ClosedObjectsTest {
  /** Methods that read no Redis and keep answering after close (besides Object's). */
  private static final Set<String> STILL_ANSWERING = Set.of("close", "name", "qualifiedName", "options",
      "leases", "schedulers", "limits", "deadLetters", "integrity", "removeListener", "queueName", "lastEventId",
      "queueNames",
      "isRunning", "pauseStalledChecks", "resumeStalledChecks", "id", "dataJson", "data", "queueQualifiedName",
      "lockToken", "timestamp", "attemptsMade", "attemptsStarted", "processedOn", "finishedOn", "returnValueJson",
      "returnValue", "failedReason", "stacktrace", "progress", "parent", "parentKey", "delay", "priority",
      "repeatJobKey", "deduplicationId", "deferredFailure", "rawFields", "optionsJson", "stalledCounter",
      "processedBy", "cancellation", "progressJson", "withLockToken", "toString", "hashCode", "equals");

  private RedisConfig redis;
  private String name;

  @BeforeEach
  void setUp(RunningRedis server) {
    redis = RedisConfig.of(server.uri());
    name = RedisProbe.uniqueQueueName();
  }

  @Test
  void aClosedQueueItsViewsAndItsJobsRefuseEveryCall() throws Exception {
    Queue queue = new Queue(name, QueueOptions.of(redis));
    // Held with a token, as a processor's job, so that its lock operations pass their own checks.
    Job job = ((RedisJob) queue.add("x", Map.of("a", 1))).withLockToken("token");
    queue.close();
    List<String> checked = new ArrayList<>();
    checked.addAll(assertEveryMethodRefuses(queue, "queue " + name));
    checked.addAll(assertEveryMethodRefuses(queue.leases(), "queue " + name));
    checked.addAll(assertEveryMethodRefuses(queue.schedulers(), "queue " + name));
    checked.addAll(assertEveryMethodRefuses(queue.limits(), "queue " + name));
    checked.addAll(assertEveryMethodRefuses(queue.deadLetters(), "queue " + name));
    checked.addAll(assertEveryMethodRefuses(queue.integrity(), "queue " + name));
    checked.addAll(assertEveryMethodRefuses(job, "queue " + name));
    assertTrue(checked.containsAll(List.of("Queue.add", "Queue.addBulkAsync", "Queue.getJobCounts",
        "Leases.claimAsync", "JobSchedulers.upsert", "Limits.setGlobalConcurrency", "DeadLetters.replay",
        "QueueIntegrity.check",
        "RedisJob.updateProgress", "RedisJob.remove")), checked.toString());
    assertEquals(name, queue.name());
    queue.close(); // again: nothing
  }

  @Test
  void aClosedFlowProducerAndTheJobsItReturnedRefuseEveryCall() throws Exception {
    FlowProducer flows = new FlowProducer(FlowProducerOptions.of(redis));
    Job job = ((RedisJob) flows.add(FlowNode.of("x", name, Map.of())).job()).withLockToken("token");
    flows.close();
    List<String> checked = new ArrayList<>(assertEveryMethodRefuses(flows, "FlowProducer (prefix bull)"));
    checked.addAll(assertEveryMethodRefuses(job, "FlowProducer (prefix bull)"));
    assertTrue(checked.containsAll(List.of("FlowProducer.add", "FlowProducer.getFlowAsync", "RedisJob.state")),
        checked.toString());
  }

  @Test
  void aClosedQueueEventsRefusesEveryCallAndFailsThePendingWaits() throws Exception {
    QueueEvents events = new QueueEvents(name, QueueEventsOptions.builder().redis(redis).build());
    CompletableFuture<String> pending = events.waitUntilFinished("7", Duration.ofMinutes(1));
    events.close();
    ExecutionException failed = assertThrows(ExecutionException.class, () -> pending.get(10, TimeUnit.SECONDS));
    assertInstanceOf(ClosedException.class, failed.getCause());
    List<String> checked = assertEveryMethodRefuses(events, "QueueEvents for queue " + name);
    assertTrue(checked.containsAll(List.of("QueueEvents.start", "QueueEvents.on", "QueueEvents.waitUntilFinished")),
        checked.toString());
  }

  @Test
  void aClosedQueueSchedulerRefusesToStartOrTakeListeners() throws Exception {
    QueueScheduler scheduler = QueueSchedulers.start(redis, QueueSchedulerOptions.defaults(), name);
    scheduler.close();
    List<String> checked = assertEveryMethodRefuses(scheduler, "the QueueScheduler of " + name);
    assertTrue(checked.containsAll(List.of("QueueScheduler.start", "QueueScheduler.addListener")),
        checked.toString());
    assertFalse(scheduler.isRunning());
  }

  /** Calls every public method of {@code target} with valid arguments; each must refuse with ClosedException. */
  private List<String> assertEveryMethodRefuses(Object target, String owner) throws Exception {
    List<String> checked = new ArrayList<>();
    for (Method method : target.getClass().getMethods()) {
      if (Modifier.isStatic(method.getModifiers()) || method.getDeclaringClass() == Object.class
          || STILL_ANSWERING.contains(method.getName())) {
        continue;
      }
      String label = target.getClass().getSimpleName() + "." + method.getName();
      Object[] arguments = arguments(method);
      Throwable thrown = null;
      try {
        Object result = method.invoke(target, arguments);
        if (result instanceof CompletableFuture<?> future) {
          thrown = assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS), label).getCause();
        }
      } catch (InvocationTargetException e) {
        thrown = e.getCause();
      }
      assertInstanceOf(ClosedException.class, thrown, label + " on a closed object: " + thrown);
      assertEquals(owner + " is closed", thrown.getMessage(), label);
      checked.add(label);
    }
    return checked;
  }

  private Object[] arguments(Method method) {
    Parameter[] parameters = method.getParameters();
    Object[] values = new Object[parameters.length];
    for (int i = 0; i < parameters.length; i++) {
      values[i] = valueOf(parameters[i].getParameterizedType(), parameters[i].getType(), method.getName());
    }
    return values;
  }

  /** A valid argument of {@code type}, so that only the closing can be the reason for a refusal. */
  private Object valueOf(Type generic, Class<?> type, String method) {
    if (type == String.class) {
      return method.contains("Queue") ? "dead-" + name : "1";
    }
    if (type == int.class || type == long.class) {
      return type == int.class ? (Object) 1 : (Object) 1L;
    }
    if (type == boolean.class) {
      return false;
    }
    if (type == Object.class) {
      return Map.of("a", 1);
    }
    if (type == Duration.class) {
      return Duration.ofSeconds(1);
    }
    if (type == Instant.class) {
      return Instant.now().plusSeconds(60);
    }
    if (type == JobOptions.class) {
      return JobOptions.defaults();
    }
    if (type == JobSpec.class) {
      return JobSpec.of("x", null);
    }
    if (type == JobState.class) {
      return JobState.COMPLETED;
    }
    if (type == JobState[].class) {
      return new JobState[0];
    }
    if (type == FlowNode.class) {
      return FlowNode.of("x", name, null);
    }
    if (type == Repeat.class) {
      return Repeat.every(Duration.ofMinutes(1)).build();
    }
    if (type == GroupLimits.class) {
      return GroupLimits.concurrency(1);
    }
    if (type == io.bullpen.JobMetrics.Type.class) {
      return io.bullpen.JobMetrics.Type.COMPLETED;
    }
    if (type == java.util.function.LongConsumer.class) {
      return (java.util.function.LongConsumer) value -> { };
    }
    if (type == io.bullpen.IntegrityReport.class) {
      return new io.bullpen.IntegrityReport(name, 0, 0, java.util.List.of());
    }
    if (type == QueueListener.class) {
      return new QueueListener() {};
    }
    if (type == Class.class) {
      return QueueEvent.class;
    }
    if (type == java.util.function.Consumer.class) {
      return (java.util.function.Consumer<Object>) event -> {};
    }
    if (type == io.bullpen.scheduler.SchedulerListener.class) {
      return new io.bullpen.scheduler.SchedulerListener() {};
    }
    if (type == Map.class) {
      return Map.of("1", "done");
    }
    if (type == Set.class) {
      return Set.of(JobState.WAITING);
    }
    if (type == List.class || type == Collection.class) {
      Type element = ((ParameterizedType) generic).getActualTypeArguments()[0];
      if (element == JobSpec.class) {
        return List.of(JobSpec.of("x", null));
      }
      if (element == FlowNode.class) {
        return List.of(FlowNode.of("x", name, null));
      }
      if (element == LeaseFailure.class) {
        return List.of(LeaseFailure.of("1", new RuntimeException("no")));
      }
      return List.of("1");
    }
    if (type == io.bullpen.DependencyPage.class) {
      return io.bullpen.DependencyPage.builder().build();
    }
    throw new AssertionError("no sample value of " + generic + " for " + method + ": add one");
  }
}
