package io.bullpen.redis.interop;

import io.bullpen.JobOptions;

/**
 * A job both sides can add: the same name and data, with the options spelled once for BullMQ (as a Node user
 * passes them to {@code queue.add}) and once for Bullpen. The two spellings are written by hand on purpose, so
 * the tests do not check Bullpen's options codec against itself.
 */
interface AddSpec {
  String name();

  /** The job data as JSON text. */
  String dataJson();

  /** The options for BullMQ's {@code queue.add}, as JSON text. */
  String nodeOptsJson();

  /** The same options for Bullpen. */
  JobOptions javaOptions();

  /** A spec with nothing but these four parts. */
  static AddSpec of(String name, String dataJson, String nodeOptsJson, JobOptions javaOptions) {
    record Plain(String name, String dataJson, String nodeOptsJson, JobOptions javaOptions) implements AddSpec {}
    return new Plain(name, dataJson, nodeOptsJson, javaOptions);
  }
}
