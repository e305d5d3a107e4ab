package io.bullpen.redis.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.JobOptions;
import io.bullpen.JobParent;
import org.junit.jupiter.api.Test;

/** The flow keys of the opts JSON and the child's `parent` field, as BullMQ writes and reads them. */
class OptionsCodecFlowTest {

  @Test
  void aChildsParentAndPolicyUseBullmqsKeys() throws Exception {
    JobOptions child = JobOptions.builder().jobId("c1").parent("bull:books", "b1").ignoreDependencyOnFailure(true)
        .attempts(0).build();
    assertEquals(Json.MAPPER.readTree("{\"jobId\":\"c1\",\"parent\":{\"id\":\"b1\",\"queue\":\"bull:books\"},"
        + "\"idof\":true,\"attempts\":0}"), OptionsCodec.toJson(child));
    assertEquals(Json.MAPPER.readTree("{\"id\":\"b1\",\"queueKey\":\"bull:books\",\"idof\":true}"),
        Json.MAPPER.readTree(OptionsCodec.parentFieldJson(child.parent().orElseThrow(), child)));
    assertEquals(child, OptionsCodec.fromJson(OptionsCodec.toJson(child).toString()));
  }

  @Test
  void eachPolicyHasItsShortKeyAndNoneHasNone() {
    assertEquals("fpof", OptionsCodec.failurePolicyKey(JobOptions.builder().failParentOnFailure(true).build()));
    assertEquals("cpof", OptionsCodec.failurePolicyKey(JobOptions.builder().continueParentOnFailure(true).build()));
    assertEquals("idof", OptionsCodec.failurePolicyKey(JobOptions.builder().ignoreDependencyOnFailure(true).build()));
    assertEquals("rdof", OptionsCodec.failurePolicyKey(JobOptions.builder().removeDependencyOnFailure(true).build()));
    assertEquals(null, OptionsCodec.failurePolicyKey(JobOptions.defaults()));
    assertEquals(Json.MAPPER.createObjectNode().put("id", "p").put("queueKey", "bull:q").toString(),
        OptionsCodec.parentFieldJson(new JobParent("p", "bull:q"), JobOptions.defaults()));
  }

  @Test
  void readingToleratesLongNamesAndBrokenParents() {
    JobOptions read = OptionsCodec.fromJson("{\"failParentOnFailure\":true,\"parent\":{\"id\":\"x\"}}");
    assertTrue(read.failParentOnFailure());
    assertTrue(read.parent().isEmpty(), "a parent without its queue is skipped");
    JobOptions clash = OptionsCodec.fromJson("{\"fpof\":true,\"rdof\":true,\"attempts\":2}");
    assertEquals(2, clash.attempts(), "an impossible policy pair does not spoil the rest");
    assertFalse(clash.removeDependencyOnFailure() && clash.failParentOnFailure());
  }
}
