package io.bullpen.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.EngineFilter;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/** Runs {@link Fixture} in a nested JUnit session to see what the extension does when a run ends. */
@Tag(RedisTest.TAG)
class RedisExtensionLifecycleTest {
  private static volatile RunningRedis seenByFixture;

  /** Not picked up by Surefire on its own (nested class); run only through the launcher below. */
  @RedisTest
  static class Fixture {
    @Test
    void usesRedis(RunningRedis redis) throws Exception {
      seenByFixture = redis;
      assertEquals("+PONG", Resp.command(redis.host(), redis.port(), "PING"));
    }
  }

  @Test
  void theRunsLeaseIsReleasedWhenTheRunEnds() {
    // Another test class of the outer run may already hold a lease on the shared server.
    int leasesBefore = RedisExtension.SHARED.leases();

    TestExecutionSummary summary = runFixture();

    assertEquals(1, summary.getTestsSucceededCount(), () -> failures(summary));
    RunningRedis redis = seenByFixture;
    assertNotNull(redis);
    assertEquals(leasesBefore, RedisExtension.SHARED.leases(), "the nested run did not give its lease back");
    if (leasesBefore == 0) {
      // Nobody else uses it: it must have been stopped, and a new request gets a new server.
      assertFalse(RedisPing.ping(redis.host(), redis.port(), Duration.ofMillis(500)), "still running after the run");
      RunningRedis next = RedisExtension.shared();
      assertTrue(next != redis, "stopped server handed out again");
      assertTrue(RedisPing.ping(next.host(), next.port(), Duration.ofSeconds(1)));
    } else {
      // The outer run still holds it: it must keep running.
      assertSame(RedisExtension.shared(), redis);
      assertTrue(RedisPing.ping(redis.host(), redis.port(), Duration.ofSeconds(1)), "stopped under the outer run");
    }
  }

  private static TestExecutionSummary runFixture() {
    LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
        .selectors(selectClass(Fixture.class))
        .filters(EngineFilter.includeEngines("junit-jupiter"))
        .build();
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    LauncherFactory.create().execute(request, listener);
    return listener.getSummary();
  }

  private static String failures(TestExecutionSummary summary) {
    StringBuilder text = new StringBuilder("fixture failed:");
    summary.getFailures().forEach(f -> text.append('\n').append(f.getTestIdentifier().getDisplayName())
        .append(": ").append(f.getException()));
    return text.toString();
  }
}
