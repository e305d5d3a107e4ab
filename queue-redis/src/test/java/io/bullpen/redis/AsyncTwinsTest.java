package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.Job;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Every public call that talks to Redis, on Queue, its views, FlowProducer and Job, has a blocking form and an
 * {@code …Async} twin with the same parameters whose future holds the blocking form's result. Checked by
 * reflection, without Redis, so a method added later without its twin fails here.
 */
class AsyncTwinsTest {
  private static final List<Class<?>> API = List.of(Queue.class, Leases.class, JobSchedulers.class, Limits.class,
      DeadLetters.class, FlowProducer.class, Job.class);

  /** Public methods that send nothing to Redis, so they need no twin. */
  private static final Map<Class<?>, Set<String>> LOCAL = Map.of(
      Queue.class, Set.of("name", "qualifiedName", "options", "leases", "schedulers", "limits", "deadLetters",
          "integrity", "addListener", "removeListener", "close"),
      FlowProducer.class, Set.of("options", "close"),
      // A job's getters return what was read with it; cancellation() is a local signal.
      Job.class, Set.of("id", "name", "queueName", "queueQualifiedName", "dataJson", "data", "options",
          "optionsJson", "timestamp", "delay", "priority", "processedOn", "finishedOn", "returnValueJson",
          "returnValue", "failedReason", "stacktrace", "progressJson", "attemptsMade", "attemptsStarted",
          "stalledCounter", "processedBy", "deferredFailure", "parentKey", "parent", "repeatJobKey", "rawFields",
          "lockToken", "cancellation"));

  @Test
  void everyBlockingCallHasAnAsyncTwinWithTheSameParametersAndResult() {
    List<String> problems = new ArrayList<>();
    int pairs = 0;
    for (Class<?> type : API) {
      Set<String> local = LOCAL.getOrDefault(type, Set.of());
      for (Method method : apiMethods(type)) {
        if (method.getName().endsWith("Async") || local.contains(method.getName())) {
          continue;
        }
        Method twin = find(type, method.getName() + "Async", method.getParameterTypes());
        if (twin == null) {
          problems.add(type.getSimpleName() + "." + signature(method) + " has no " + method.getName() + "Async");
          continue;
        }
        pairs++;
        Type expected = boxed(method.getGenericReturnType());
        Type actual = twin.getGenericReturnType();
        if (!(actual instanceof ParameterizedType future) || future.getRawType() != CompletableFuture.class
            || !future.getActualTypeArguments()[0].getTypeName().equals(expected.getTypeName())) {
          problems.add(type.getSimpleName() + "." + signature(twin) + " returns " + actual.getTypeName()
              + ", expected CompletableFuture<" + expected.getTypeName() + ">");
        }
      }
    }
    assertEquals(List.of(), problems);
    assertTrue(pairs >= 80, "found only " + pairs + " pairs: the reflection missed the API");
  }

  @Test
  void everyAsyncCallHasABlockingTwin() {
    List<String> problems = new ArrayList<>();
    for (Class<?> type : API) {
      for (Method method : apiMethods(type)) {
        String name = method.getName();
        if (name.endsWith("Async") && find(type, name.substring(0, name.length() - 5), method.getParameterTypes())
            == null) {
          problems.add(type.getSimpleName() + "." + signature(method) + " has no blocking form");
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void localMethodsListedHereStillExist() {
    List<String> missing = new ArrayList<>();
    LOCAL.forEach((type, names) -> names.stream()
        .filter(name -> apiMethods(type).stream().noneMatch(m -> m.getName().equals(name)))
        .forEach(name -> missing.add(type.getSimpleName() + "." + name)));
    assertEquals(List.of(), missing);
  }

  /** Public instance methods of the type, its own and inherited, apart from Object's (toString, ...). */
  private static List<Method> apiMethods(Class<?> type) {
    return Arrays.stream(type.getMethods())
        .filter(m -> !Modifier.isStatic(m.getModifiers()))
        .filter(m -> find(Object.class, m.getName(), m.getParameterTypes()) == null)
        .toList();
  }

  private static Method find(Class<?> type, String name, Class<?>[] parameters) {
    try {
      return type.getMethod(name, parameters);
    } catch (NoSuchMethodException e) {
      return null;
    }
  }

  private static Type boxed(Type type) {
    if (!(type instanceof Class<?> c) || !c.isPrimitive()) {
      return type;
    }
    return switch (c.getName()) {
      case "void" -> Void.class;
      case "boolean" -> Boolean.class;
      case "int" -> Integer.class;
      case "long" -> Long.class;
      default -> throw new AssertionError("no box for " + c);
    };
  }

  private static String signature(Method method) {
    return method.getName() + Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName).toList();
  }
}
