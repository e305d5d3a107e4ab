package io.bullpen.redis.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.bullpen.JobOptions;
import io.bullpen.KeepJobs;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The keep policies ({@code removeOnComplete} / {@code removeOnFail}) in the opts JSON: stored in the form they
 * were given, as BullMQ 6.7.0 stores them, and read back into the same form.
 */
class OptionsCodecKeepFormsTest {
  /** Every form BullMQ stores as given (checked against bullmq@6.7.0 by KeepPolicyFormsInteropTest). */
  private static final List<String> STORED_FORMS = List.of("true", "false", "0", "5", "{\"count\":0}",
      "{\"count\":5}", "{\"age\":60}", "{\"age\":60,\"count\":5}", "{\"age\":60,\"count\":5,\"limit\":10}",
      "{\"count\":5,\"limit\":3}", "{}", "{\"age\":0}");

  @Test
  void eachJavaFormIsStoredAsGiven() {
    assertStored("true", KeepJobs.none());
    assertStored("false", KeepJobs.all());
    assertStored("0", KeepJobs.newest(0));
    assertStored("5", KeepJobs.newest(5));
    assertStored("{\"count\":0}", new KeepJobs(0, -1, -1));
    assertStored("{\"count\":5}", new KeepJobs(5, -1, -1));
    assertStored("{}", new KeepJobs(-1, -1, -1));
    assertStored("{\"age\":60}", KeepJobs.maxAge(60, -1));
    assertStored("{\"age\":60,\"count\":5}", KeepJobs.maxAge(60, 5));
    assertStored("{\"age\":60,\"count\":5,\"limit\":10}", KeepJobs.maxAge(60, 5).withLimit(10));
    assertStored("{\"count\":3,\"limit\":2}", KeepJobs.newest(3).withLimit(2));
  }

  @Test
  void everyFormBullmqStoresReadsBackIntoTheSameJson() {
    for (String form : STORED_FORMS) {
      String opts = "{\"removeOnComplete\":" + form + ",\"removeOnFail\":" + form + ",\"attempts\":0}";
      assertEquals(Json.tree(opts, "opts"), written(OptionsCodec.fromJson(opts)), form);
    }
  }

  @Test
  void formsThatMeanTheSameAreReadAsTheSamePolicy() {
    for (String none : List.of("true", "0", "{\"count\":0}", "{\"count\":0,\"age\":60}")) {
      KeepJobs keep = OptionsCodec.keepFrom(Json.tree(none, "keep"));
      assertEquals(0, keep.count(), none);
    }
    for (String all : List.of("false", "{}", "{\"limit\":5}")) {
      assertEquals(true, OptionsCodec.keepFrom(Json.tree(all, "keep")).keepsAll(), all);
    }
    assertEquals(5, OptionsCodec.keepFrom(Json.tree("{\"count\":5}", "keep")).count());
    assertEquals(5, OptionsCodec.keepFrom(Json.tree("5", "keep")).count());
  }

  /** The opts JSON as stored, parsed again (so numbers compare by value, not by Jackson node type). */
  private static JsonNode written(JobOptions options) {
    return Json.tree(OptionsCodec.toJson(options).toString(), "opts");
  }

  private static void assertStored(String json, KeepJobs keep) {
    JobOptions options = JobOptions.builder().removeOnComplete(keep).removeOnFail(keep).attempts(0).build();
    assertEquals(Json.tree("{\"removeOnComplete\":" + json + ",\"removeOnFail\":" + json + ",\"attempts\":0}", "opts"),
        written(options), json);
    assertEquals(options, OptionsCodec.fromJson(OptionsCodec.toJson(options).toString()), "read back: " + json);
  }
}
