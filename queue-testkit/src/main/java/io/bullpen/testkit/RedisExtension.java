package io.bullpen.testkit;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * JUnit 5 extension that gives tests one shared Redis per test JVM.
 *
 * <pre>{@code
 * @ExtendWith(RedisExtension.class)
 * class FooTest {
 *   @Test
 *   void x(RunningRedis redis) { ... redis.uri() ... }
 * }
 * }</pre>
 *
 * <p>Any test or lifecycle method, or test class constructor, may declare a {@link RunningRedis} parameter. The
 * server is started on first use (see {@link RedisLauncher} for which one), kept in JUnit's root store and
 * stopped when the test run ends. Tests share it, so they should use their own key prefixes or queue names, and
 * must not close it. A test that calls {@link RunningRedis#stopServer()} need not restart it: the next injection
 * does.
 *
 * <p>With {@code BULLPEN_TEST_TOPOLOGY=cluster} the shared server is a local Redis Cluster ({@link RedisTopology}),
 * and classes or methods marked {@link StandaloneOnly} are skipped with their reason.
 *
 * <p>Code outside JUnit Jupiter (e.g. jqwik properties) can call {@link #shared()}.
 */
public final class RedisExtension implements ParameterResolver, ExecutionCondition {
  private static final Namespace NAMESPACE = Namespace.create(RedisExtension.class);
  private static final String STORE_KEY = "shared-redis";

  static final SharedRedis SHARED = new SharedRedis(RedisLauncher::start);

  /**
   * The Redis shared by this JVM's tests, started on first call. It is stopped by a JVM shutdown hook, or at the
   * end of the JUnit Jupiter run if the extension was used; a later call then starts a fresh one.
   */
  public static RunningRedis shared() {
    return SHARED.get();
  }

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    Optional<StandaloneOnly> standaloneOnly = AnnotationSupport.findAnnotation(context.getElement(), StandaloneOnly.class);
    if (standaloneOnly.isPresent() && RedisTopology.isCluster()) {
      return ConditionEvaluationResult.disabled(
          "@StandaloneOnly, skipped on " + RedisTopology.ENV + "=cluster: " + standaloneOnly.get().value());
    }
    return ConditionEvaluationResult.enabled("runs on " + RedisTopology.current().name().toLowerCase());
  }

  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    return parameterContext.getParameter().getType() == RunningRedis.class;
  }

  @Override
  public RunningRedis resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    RunningRedis redis = extensionContext.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent(STORE_KEY, key -> new Lease(SHARED.acquire()), Lease.class)
        .redis;
    // A previous test may have stopped the embedded server to simulate an outage; hand out a live one.
    if (redis.canRestart()) {
      redis.startServer();
    }
    return redis;
  }

  /**
   * A lease on the shared server, held by a JUnit run's root store and closed by JUnit when the root context
   * ends. It is both the deprecated {@code CloseableResource} (closed by JUnit before 5.13) and an
   * {@link AutoCloseable} (closed by 5.13 and later); the flag keeps a double close from releasing twice.
   */
  @SuppressWarnings("deprecation")
  private static final class Lease implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    private final RunningRedis redis;
    private final AtomicBoolean released = new AtomicBoolean();

    Lease(RunningRedis redis) {
      this.redis = redis;
    }

    @Override
    public void close() {
      if (released.compareAndSet(false, true)) {
        SHARED.release(redis);
      }
    }
  }
}
