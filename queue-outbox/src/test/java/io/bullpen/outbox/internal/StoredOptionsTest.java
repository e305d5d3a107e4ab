package io.bullpen.outbox.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.Backoff;
import io.bullpen.InvalidOptionException;
import io.bullpen.JobOptions;
import io.bullpen.KeepJobs;
import org.junit.jupiter.api.Test;

class StoredOptionsTest {
  @Test
  void everyOptionTheOutboxStoresReadsBackEqual() {
    JobOptions options = JobOptions.builder().jobId("order-7").priority(3).delay(1500).lifo(true).attempts(4)
        .backoff(Backoff.exponential(250).withJitter(0.5)).removeOnComplete(KeepJobs.maxAge(3600, 100))
        .removeOnFail(KeepJobs.newest(10)).timestamp(1_700_000_000_000L).stackTraceLimit(2).sizeLimit(4096)
        .keepLogs(20).group("tenant-1").build();
    assertEquals(options, StoredOptions.read(StoredOptions.write(options)));
    JobOptions routed = JobOptions.builder().requiredCapability("gpu").removeOnComplete(true).build();
    assertEquals(routed, StoredOptions.read(StoredOptions.write(routed)));
  }

  @Test
  void unsetOptionsStayUnsetSoTheQueueDefaultsStillApply() {
    JobOptions read = StoredOptions.read(StoredOptions.write(JobOptions.defaults()));
    assertEquals("{}", StoredOptions.write(JobOptions.defaults()));
    assertFalse(read.hasAttempts());
    JobOptions queueDefaults = JobOptions.builder().attempts(5).priority(2).build();
    assertEquals(5, read.withDefaults(queueDefaults).attempts());
    assertEquals(2, read.withDefaults(queueDefaults).priority());
    assertTrue(StoredOptions.read(StoredOptions.write(JobOptions.builder().attempts(0).build())).hasAttempts());
  }

  @Test
  void aFieldTheOutboxNeverWritesIsAnErrorNamingIt() {
    InvalidOptionException e = assertThrows(InvalidOptionException.class,
        () -> StoredOptions.read("{\"de\":{\"id\":\"x\"}}"));
    assertEquals("options.de", e.field());
    assertEquals("options.priority",
        assertThrows(InvalidOptionException.class, () -> StoredOptions.read("{\"priority\":\"high\"}")).field());
    assertEquals("options", assertThrows(InvalidOptionException.class, () -> StoredOptions.read("[1]")).field());
    assertEquals("options", assertThrows(InvalidOptionException.class, () -> StoredOptions.read("{")).field());
  }
}
