package io.bullpen.spring.boot;

import io.bullpen.AsyncProcessor;
import io.bullpen.BatchProcessor;
import io.bullpen.InvalidOptionException;
import io.bullpen.Job;
import io.bullpen.JobOutcome;
import io.bullpen.Processor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.springframework.util.ReflectionUtils;

/** Turns a {@link BullpenWorker} method into a {@link Processor}, {@link AsyncProcessor} or {@link BatchProcessor}. */
final class MethodProcessors {
  private MethodProcessors() {}

  /** The processor calling {@code method} on {@code bean}; {@code batch}: a batch processor. */
  static Object processor(Object bean, Method method, boolean batch, String source) {
    ReflectionUtils.makeAccessible(method);
    if (batch) {
      return batchProcessor(bean, method, source);
    }
    Function<Job, Object[]> arguments = arguments(method, source);
    if (CompletionStage.class.isAssignableFrom(method.getReturnType())) {
      AsyncProcessor async = job -> {
        try {
          CompletionStage<?> stage = (CompletionStage<?>) invoke(bean, method, arguments.apply(job));
          if (stage == null) {
            return CompletableFuture.failedFuture(
                new IllegalStateException(source + " returned null instead of a CompletionStage"));
          }
          return stage;
        } catch (Exception e) {
          return CompletableFuture.failedFuture(e);
        }
      };
      return async;
    }
    Processor processor = job -> invoke(bean, method, arguments.apply(job));
    return processor;
  }

  private static BatchProcessor batchProcessor(Object bean, Method method, String source) {
    Type[] params = method.getGenericParameterTypes();
    if (params.length != 1 || !isListOf(params[0], Job.class) || !isListOf(method.getGenericReturnType(),
        JobOutcome.class)) {
      throw new InvalidOptionException(source, method.toGenericString(),
          "a batch worker method takes a List<Job> and returns a List<JobOutcome>");
    }
    return jobs -> {
      @SuppressWarnings("unchecked")
      List<JobOutcome> outcomes = (List<JobOutcome>) invoke(bean, method, new Object[] {jobs});
      return outcomes;
    };
  }

  private static boolean isListOf(Type type, Class<?> element) {
    return type instanceof ParameterizedType p && p.getRawType() == List.class
        && p.getActualTypeArguments()[0] == element;
  }

  /** What to pass for each parameter: the job, or its data read as the parameter's type. */
  private static Function<Job, Object[]> arguments(Method method, String source) {
    Class<?>[] types = method.getParameterTypes();
    int dataAt = -1;
    for (int i = 0; i < types.length; i++) {
      if (types[i] == Job.class) {
        continue;
      }
      if (dataAt >= 0) {
        throw new InvalidOptionException(source, method.toGenericString(),
            "a worker method takes the Job and at most one more parameter, the job's data");
      }
      dataAt = i;
    }
    int data = dataAt;
    return job -> {
      Object[] args = new Object[types.length];
      for (int i = 0; i < types.length; i++) {
        args[i] = i == data ? job.data(types[i]) : job;
      }
      return args;
    };
  }

  private static Object invoke(Object bean, Method method, Object[] args) throws Exception {
    try {
      return method.invoke(bean, args);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception exception) {
        throw exception;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }
}
