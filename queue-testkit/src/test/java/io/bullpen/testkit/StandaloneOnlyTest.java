package io.bullpen.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.EngineFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/** Runs {@link Fixture} in a nested JUnit session under each topology and records what ran and what was skipped. */
class StandaloneOnlyTest {
  /** Run only through the launcher below; uses no Redis, so the topology need not be started. */
  @RedisTest
  static class Fixture {
    @Test
    void runsEverywhere() {}

    @Test
    @StandaloneOnly("restarts the single server")
    void needsOneServer() {}
  }

  @Test
  void skippedOnTheClusterWithItsReasonAndRunOnAStandaloneServer() {
    assertEquals(Set.of("ran runsEverywhere()", "ran needsOneServer()"), Set.copyOf(runUnder("standalone")));
    assertEquals(Set.of("ran runsEverywhere()", "skipped needsOneServer(): @StandaloneOnly, skipped on "
        + "BULLPEN_TEST_TOPOLOGY=cluster: restarts the single server"), Set.copyOf(runUnder("cluster")));
  }

  private static List<String> runUnder(String topology) {
    String before = System.getProperty(RedisTopology.PROPERTY);
    System.setProperty(RedisTopology.PROPERTY, topology);
    List<String> seen = new CopyOnWriteArrayList<>();
    try {
      LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
          .selectors(selectClass(Fixture.class)).filters(EngineFilter.includeEngines("junit-jupiter")).build(),
          new TestExecutionListener() {
            @Override
            public void executionSkipped(TestIdentifier test, String reason) {
              seen.add("skipped " + test.getDisplayName() + ": " + reason);
            }

            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
              if (test.isTest() && result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
                seen.add("ran " + test.getDisplayName());
              }
            }
          });
    } finally {
      if (before == null) {
        System.clearProperty(RedisTopology.PROPERTY);
      } else {
        System.setProperty(RedisTopology.PROPERTY, before);
      }
    }
    return seen;
  }
}
