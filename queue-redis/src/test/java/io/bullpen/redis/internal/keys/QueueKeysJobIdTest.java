package io.bullpen.redis.internal.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.InvalidOptionException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * No job id can land on a key of the queue itself: every key {@link QueueKeys} builds, and every key the Lua
 * scripts build from the key prefix ({@link KnownKeySuffixes}), is refused as a job id.
 */
class QueueKeysJobIdTest {

  @Test
  void everyKeyQueueKeysBuildsIsRefusedAsAJobId() {
    Set<String> suffixes = KnownKeySuffixes.ofQueueKeys();
    assertTrue(suffixes.containsAll(Set.of("meta", "wait", "marker", "id", "pc", "events", "limiter", "paused",
        "prioritized", "repeat", "stalled", "stalled-check", "waiting-children", "completed", "failed", "active",
        "delayed", "de:x", "de:a:b", "bp:config", "bp:cancel", "bp:g:a:b:wait", "metrics:completed:data")),
        suffixes.toString());
    suffixes.forEach(QueueKeysJobIdTest::assertRefused);
  }

  @Test
  void everyKeyTheScriptsBuildFromTheKeyPrefixIsRefusedAsAJobId() {
    Set<String> suffixes = KnownKeySuffixes.ofScripts();
    assertTrue(suffixes.containsAll(Set.of("meta", "bp:groups:state", "bp:groups:turn", "dn:a:b", "bp:cap:x")),
        suffixes.toString());
    suffixes.forEach(QueueKeysJobIdTest::assertRefused);
  }

  @Test
  void ordinaryIdsAndSchedulerRunIdsAreAccepted() {
    for (String id : List.of("1", "order-42", "a:b:c", "repeat:nightly:1750000000000", "metric", "waiting",
        "Meta", "bpx:y:z", "de", "x:de:y", "\uD83D\uDE00")) {
      assertEquals(id, QueueKeys.requireJobId("jobId", id));
    }
  }

  @Test
  void idsNoJobCanHaveAreRefusedNamingTheFieldAndValue() {
    for (String id : List.of("a:b", "a:b:c:d", ":", "x\uD800y", "\uDC00")) {
      InvalidOptionException e = assertThrows(InvalidOptionException.class,
          () -> QueueKeys.requireJobId("jobId", id));
      assertEquals("jobId", e.field());
      assertTrue(e.getMessage().contains(id), e.getMessage());
    }
    assertThrows(InvalidOptionException.class, () -> QueueKeys.requireJobId("jobId", ""));
    assertThrows(InvalidOptionException.class, () -> QueueKeys.requireJobId("jobId", null));
  }

  private static void assertRefused(String id) {
    InvalidOptionException e = assertThrows(InvalidOptionException.class,
        () -> QueueKeys.requireJobId("jobId", id), "job id " + id + " names a queue key and must be refused");
    assertEquals("jobId", e.field());
    assertTrue(e.getMessage().contains("\"" + id + "\""), e.getMessage());
  }
}
