package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.testkit.RedisProcess;
import io.bullpen.testkit.RedisSentinels;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.StandaloneOnly;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The master of a Sentinel set fails while a worker processes a queue and a producer keeps adding, all on one
 * connector with default settings: once the sentinels promote the replica, processing resumes within 10 s, every
 * acknowledged add completes with its {@code completed} event, nothing stays active and no more jobs run twice than
 * were in flight. A frozen master keeps its TCP connections up, so only following the sentinels moves them.
 */
@RedisTest
@StandaloneOnly("Sentinel: a master, a replica and three sentinels of its own")
class SentinelFailoverTest {
  @Test
  void aKilledMasterIsReplacedAndNothingIsLostOrStuck() throws Exception {
    failOver("SIGKILL", RedisProcess::kill, master -> { });
  }

  @Test
  void aFrozenMasterIsReplacedAndNothingIsLostOrStuck() throws Exception {
    failOver("SIGSTOP", RedisProcess::freeze, RedisProcess::thaw);
  }

  /** The first sentinel of the URI, which the connector asks first, freezes with the master; the others decide. */
  @Test
  void aFrozenMasterIsReplacedWhileTheFirstSentinelIsFrozenToo() throws Exception {
    try (RedisSentinels set = RedisSentinels.builder().start()) {
      RedisProcess first = set.sentinels().get(0);
      failOver(set, "SIGSTOP with the first sentinel", master -> {
        first.freeze();
        master.freeze();
      }, master -> {
        master.thaw();
        first.thaw();
      });
    }
  }

  private void failOver(String how, Consumer<RedisProcess> fail, Consumer<RedisProcess> afterwards)
      throws Exception {
    try (RedisSentinels set = RedisSentinels.builder().start()) {
      failOver(set, how, fail, afterwards);
    }
  }

  private void failOver(RedisSentinels set, String how, Consumer<RedisProcess> fail,
      Consumer<RedisProcess> afterwards) throws Exception {
    try (RedisConnector connector = RedisConnector.create(RedisConfig.of(set.uri()))) {
      FailoverScenario.Outcome outcome = FailoverScenario.run(connector, "sentinel-failover", set::master,
          set::awaitNewMaster, fail, afterwards,
          how.startsWith("SIGSTOP") /* a frozen master comes back */);
      System.out.printf("sentinel failover (%s): replica took over after %.1f s, first completion %.2f s later;"
          + " %d jobs, %d re-run, %d adds refused meanwhile, %d adds and %d completions lost by Redis%n",
          how, outcome.toPromotion(), outcome.toResume(), outcome.jobs(), outcome.reruns(), outcome.failedAdds(),
          outcome.lostAdds(), outcome.lostCompletions());
      assertTrue(outcome.toResume() < 10, "processing resumed " + outcome.toResume()
          + " s after the replica took over");
    }
  }
}
