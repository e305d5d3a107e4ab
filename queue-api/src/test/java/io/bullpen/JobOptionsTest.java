package io.bullpen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JobOptionsTest {

  @Test
  void unsetOptionsHaveBullmqDefaults() {
    JobOptions opts = JobOptions.defaults();
    assertEquals(0, opts.priority());
    assertEquals(0, opts.delay());
    assertEquals(0, opts.attempts());
    assertFalse(opts.lifo());
    assertTrue(opts.jobId().isEmpty());
    assertTrue(opts.backoff().isEmpty());
    assertTrue(opts.removeOnComplete().isEmpty());
  }

  @Test
  void unsetValuesAreTakenFromDefaultsAndSetValuesWin() {
    JobOptions defaults = JobOptions.builder().attempts(5).priority(3).removeOnComplete(true).build();
    JobOptions merged = JobOptions.builder().priority(1).build().withDefaults(defaults);
    assertEquals(1, merged.priority());
    assertEquals(5, merged.attempts());
    assertEquals(KeepJobs.none(), merged.removeOnComplete().orElseThrow());
  }

  @Test
  void toStringNamesOnlyTheSetValuesAndDefaultsFillEveryGroup() {
    JobOptions defaults = JobOptions.builder().attempts(2).removeOnFail(true).keepLogs(5).group("g")
        .deduplication(Deduplication.of("d")).build();
    JobOptions merged = JobOptions.builder().priority(3).requiredCapability("gpu").build().withDefaults(defaults);
    assertEquals("JobOptions{priority=3, attempts=2, removeOnFail=" + KeepJobs.none() + ", keepLogs=5, "
        + "deduplication=" + Deduplication.of("d") + ", requiredCapability=gpu}", merged.toString());
    assertEquals("JobOptions{}", JobOptions.defaults().toString());
    assertEquals(merged, merged.toBuilder().build());
  }

  @Test
  void toBuilderRoundTripsEveryValue() {
    JobOptions opts = JobOptions.builder().jobId("abc").priority(7).delay(100).lifo(true).attempts(3)
        .backoff(Backoff.exponential(50).withJitter(0.5)).removeOnComplete(KeepJobs.newest(10))
        .removeOnFail(KeepJobs.maxAge(3600, 5)).timestamp(123).stackTraceLimit(2).sizeLimit(1024).keepLogs(9)
        .build();
    assertEquals(opts, opts.toBuilder().build());
    assertEquals(opts.hashCode(), opts.toBuilder().build().hashCode());
  }

  @Test
  void priorityOutsideBullmqRangeIsRejectedNamingFieldAndValue() {
    assertRejected("priority", "-1", () -> JobOptions.builder().priority(-1));
    assertRejected("priority", "2097152", () -> JobOptions.builder().priority(JobOptions.MAX_PRIORITY + 1));
    JobOptions.builder().priority(JobOptions.MAX_PRIORITY);
  }

  @Test
  void negativeNumbersAreRejectedForEveryNumericOption() {
    assertRejected("delay", "-5", () -> JobOptions.builder().delay(-5));
    assertRejected("attempts", "-1", () -> JobOptions.builder().attempts(-1));
    assertRejected("timestamp", "-2", () -> JobOptions.builder().timestamp(-2));
    assertRejected("stackTraceLimit", "-3", () -> JobOptions.builder().stackTraceLimit(-3));
    assertRejected("sizeLimit", "0", () -> JobOptions.builder().sizeLimit(0));
    assertRejected("keepLogs", "-4", () -> JobOptions.builder().keepLogs(-4));
  }

  @Test
  void customIdsFollowBullmqRules() {
    assertRejected("jobId", "\"123\"", () -> JobOptions.builder().jobId("123"));
    assertRejected("jobId", "\"0:abc\"", () -> JobOptions.builder().jobId("0:abc"));
    assertRejected("jobId", "\"a:b\"", () -> JobOptions.builder().jobId("a:b"));
    assertRejected("jobId", "\"\"", () -> JobOptions.builder().jobId(""));
    assertEquals("repeat:x:1", JobOptions.builder().jobId("repeat:x:1").build().jobId().orElseThrow());
    assertRejected("jobId", "\"-42\"", () -> JobOptions.builder().jobId("-42"));
    assertRejected("jobId", "\"0\"", () -> JobOptions.builder().jobId("0"));
    assertRejected("jobId", "\"18014398509481984\"", () -> JobOptions.builder().jobId("18014398509481984"));
    // Node accepts these: they are not what String(parseInt(id)) prints back.
    for (String nodeAccepts : new String[] {"007", "-0", "00", "9007199254740993", "1000000000000000000000"}) {
      assertEquals(nodeAccepts, JobOptions.builder().jobId(nodeAccepts).build().jobId().orElseThrow());
    }
    assertEquals("order-17", JobOptions.builder().jobId("order-17").build().jobId().orElseThrow());
  }

  @Test
  void backoffRejectsBadDelayJitterAndType() {
    assertRejected("backoff.delay", "-1", () -> Backoff.fixed(-1));
    assertRejected("backoff.jitter", "1.5", () -> Backoff.fixed(10).withJitter(1.5));
    assertRejected("backoff.jitter", "NaN", () -> Backoff.fixed(10).withJitter(Double.NaN));
    assertRejected("backoff.type", "\" \"", () -> Backoff.custom(" ", 1));
  }

  @Test
  void keepPoliciesRejectNegativeValues() {
    assertRejected("keepJobs.count", "-1", () -> KeepJobs.newest(-1));
    assertRejected("keepJobs.age", "-1", () -> KeepJobs.maxAge(-1, 10));
    assertRejected("keepJobs.limit", "0", () -> KeepJobs.newest(3).withLimit(0));
  }

  @Test
  void keepPoliciesRememberTheFormTheyWereGivenIn() {
    assertEquals(KeepJobs.Form.BOOLEAN, KeepJobs.none().form());
    assertEquals(KeepJobs.Form.BOOLEAN, KeepJobs.all().form());
    assertEquals(KeepJobs.Form.NUMBER, KeepJobs.newest(5).form());
    assertEquals(KeepJobs.Form.OBJECT, new KeepJobs(5, -1, -1).form());
    assertEquals(KeepJobs.Form.OBJECT, KeepJobs.maxAge(60, -1).form());
    assertEquals(KeepJobs.Form.OBJECT, KeepJobs.newest(3).withLimit(10).form());
    // The same meaning in another form is another value, because it is stored differently.
    assertTrue(new KeepJobs(0, -1, -1).keepsNone() && KeepJobs.newest(0).keepsNone() && KeepJobs.none().keepsNone());
    assertFalse(new KeepJobs(0, -1, -1).equals(KeepJobs.none()));
    assertTrue(new KeepJobs(-1, -1, -1).keepsAll());
  }

  @Test
  void keepPolicyFormsRejectFieldsTheirFormCannotHold() {
    assertRejected("keepJobs.form", "BOOLEAN", () -> new KeepJobs(0, 60, -1, KeepJobs.Form.BOOLEAN));
    assertRejected("keepJobs.form", "NUMBER", () -> new KeepJobs(5, -1, 10, KeepJobs.Form.NUMBER));
    assertRejected("keepJobs.count", "-1", () -> new KeepJobs(-1, -1, -1, KeepJobs.Form.NUMBER));
    assertRejected("keepJobs.count", "3", () -> new KeepJobs(3, -1, -1, KeepJobs.Form.BOOLEAN));
    assertRejected("keepJobs.form", "null", () -> new KeepJobs(3, -1, -1, null));
  }

  @Test
  void limiterRequiresPositiveValues() {
    assertRejected("limiter.max", "0", () -> new Limiter(0, 1000));
    assertRejected("limiter.duration", "0", () -> new Limiter(10, 0));
  }

  private static void assertRejected(String field, String shownValue, Executable action) {
    InvalidOptionException e = assertThrows(InvalidOptionException.class, action::run);
    assertEquals(field, e.field());
    assertTrue(e.getMessage().contains(field + " = " + shownValue),
        () -> "message should name field and value: " + e.getMessage());
  }

  @FunctionalInterface
  interface Executable {
    void run() throws Throwable;
  }
}
