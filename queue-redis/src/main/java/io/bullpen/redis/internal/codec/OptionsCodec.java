package io.bullpen.redis.internal.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bullpen.Backoff;
import io.bullpen.Deduplication;
import io.bullpen.JobOptions;
import io.bullpen.JobParent;
import io.bullpen.KeepJobs;

/**
 * Converts {@link JobOptions} to and from the {@code opts} JSON of BullMQ's job hash, with its short keys
 * ({@code kl}) so Node workers read attempts, backoff, keep policies and keepLogs from Java-made jobs.
 */
public final class OptionsCodec {
  private OptionsCodec() {}

  /** The opts JSON object for a job added with {@code options}; {@code attempts} is always written. */
  public static ObjectNode toJson(JobOptions options) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    options.jobId().ifPresent(id -> node.put("jobId", id));
    if (options.delay() > 0) {
      node.put("delay", options.delay());
    }
    if (options.priority() > 0) {
      node.put("priority", options.priority());
    }
    if (options.lifo()) {
      node.put("lifo", true);
    }
    options.timestamp().ifPresent(ts -> node.put("timestamp", ts));
    options.backoff().ifPresent(b -> {
      ObjectNode backoff = node.putObject("backoff");
      backoff.put("type", b.type());
      backoff.put("delay", b.delay());
      if (b.jitter() > 0) {
        backoff.put("jitter", b.jitter());
      }
    });
    options.removeOnComplete().ifPresent(k -> putKeep(node, "removeOnComplete", k));
    options.removeOnFail().ifPresent(k -> putKeep(node, "removeOnFail", k));
    options.keepLogs().ifPresent(kl -> node.put("kl", kl));
    options.stackTraceLimit().ifPresent(limit -> node.put("stackTraceLimit", limit));
    options.sizeLimit().ifPresent(limit -> node.put("sizeLimit", limit));
    options.group().ifPresent(g -> node.put("bpg", g));
    options.requiredCapability().ifPresent(c -> node.put("bpcap", c));
    options.deduplication().ifPresent(d -> {
      ObjectNode de = node.putObject("de");
      de.put("id", d.id());
      if (d.ttlMillis() > 0) de.put("ttl", d.ttlMillis());
      if (d.extend()) de.put("extend", true);
      if (d.replace()) de.put("replace", true);
      if (d.keepLastIfActive()) de.put("keepLastIfActive", true);
    });
    options.telemetryMetadata().ifPresent(tm -> node.put("tm", tm));
    if (options.omitContext()) {
      node.put("omc", true);
    }
    putParentOptions(node, options);
    node.put("attempts", options.attempts());
    return node;
  }

  /**
   * The parent reference ({@code parent: {id, queue}}) and the failure policy under BullMQ's short keys
   * ({@code fpof}, {@code cpof}, {@code idof}, {@code rdof}).
   */
  private static void putParentOptions(ObjectNode node, JobOptions options) {
    options.parent().ifPresent(parent -> {
      ObjectNode ref = node.putObject("parent");
      ref.put("id", parent.id());
      ref.put("queue", parent.queue());
    });
    String policy = failurePolicyKey(options);
    if (policy != null) {
      node.put(policy, true);
    }
  }

  /** The short opts key of the job's parent-failure policy, or null for the default (the parent waits). */
  public static String failurePolicyKey(JobOptions options) {
    if (options.failParentOnFailure()) {
      return "fpof";
    }
    if (options.continueParentOnFailure()) {
      return "cpof";
    }
    if (options.ignoreDependencyOnFailure()) {
      return "idof";
    }
    if (options.removeDependencyOnFailure()) {
      return "rdof";
    }
    return null;
  }

  /**
   * The {@code parent} hash field of a child: {@code {"id", "queueKey"}} plus its failure policy flag, which is
   * what the finishing scripts (Node's and Bullpen's) read.
   */
  public static String parentFieldJson(JobParent parent, JobOptions childOptions) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("id", parent.id());
    node.put("queueKey", parent.queue());
    String policy = failurePolicyKey(childOptions);
    if (policy != null) {
      node.put(policy, true);
    }
    return node.toString();
  }

  /** Reads the options Bullpen understands from stored opts JSON; anything malformed is skipped, not fatal. */
  public static JobOptions fromJson(String json) {
    JobOptions.Builder b = JobOptions.builder();
    if (json == null || json.isEmpty()) {
      return b.build();
    }
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(json);
    } catch (Exception e) {
      return b.build();
    }
    if (node == null || !node.isObject()) {
      return b.build();
    }
    lenient(() -> {
      if (node.hasNonNull("jobId")) b.jobId(node.get("jobId").asText());
    });
    lenient(() -> {
      if (node.hasNonNull("delay")) b.delay(node.get("delay").asLong());
    });
    lenient(() -> {
      if (node.hasNonNull("priority")) b.priority(node.get("priority").asInt());
    });
    lenient(() -> {
      if (node.hasNonNull("lifo")) b.lifo(node.get("lifo").asBoolean());
    });
    lenient(() -> {
      if (node.hasNonNull("attempts")) b.attempts(node.get("attempts").asInt());
    });
    lenient(() -> {
      if (node.hasNonNull("timestamp")) b.timestamp(node.get("timestamp").asLong());
    });
    lenient(() -> {
      Backoff backoff = backoffFrom(node.get("backoff"));
      if (backoff != null) b.backoff(backoff);
    });
    lenient(() -> {
      KeepJobs keep = keepFrom(node.get("removeOnComplete"));
      if (keep != null) b.removeOnComplete(keep);
    });
    lenient(() -> {
      KeepJobs keep = keepFrom(node.get("removeOnFail"));
      if (keep != null) b.removeOnFail(keep);
    });
    lenient(() -> {
      if (node.hasNonNull("kl")) b.keepLogs(node.get("kl").asInt());
    });
    lenient(() -> {
      if (node.hasNonNull("stackTraceLimit")) b.stackTraceLimit(node.get("stackTraceLimit").asInt());
    });
    lenient(() -> {
      if (node.hasNonNull("sizeLimit")) b.sizeLimit(node.get("sizeLimit").asInt());
    });
    lenient(() -> {
      JsonNode parent = node.get("parent");
      if (parent != null && parent.hasNonNull("id") && parent.hasNonNull("queue")) {
        b.parent(new JobParent(parent.get("id").asText(), parent.get("queue").asText()));
      }
    });
    lenient(() -> {
      b.failParentOnFailure(flag(node, "fpof", "failParentOnFailure"));
      b.continueParentOnFailure(flag(node, "cpof", "continueParentOnFailure"));
      b.ignoreDependencyOnFailure(flag(node, "idof", "ignoreDependencyOnFailure"));
      b.removeDependencyOnFailure(flag(node, "rdof", "removeDependencyOnFailure"));
    });
    lenient(() -> {
      if (node.hasNonNull("bpg")) b.group(node.get("bpg").asText());
    });
    lenient(() -> {
      if (node.hasNonNull("bpcap")) b.requiredCapability(node.get("bpcap").asText());
    });
    lenient(() -> {
      if (node.hasNonNull("tm") && node.get("tm").isTextual()) b.telemetryMetadata(node.get("tm").asText());
    });
    lenient(() -> {
      if (node.path("omc").asBoolean(false)) b.omitContext(true);
    });
    lenient(() -> {
      JsonNode de = node.get("de");
      if (de != null && de.isObject() && de.hasNonNull("id")) {
        b.deduplication(new Deduplication(de.get("id").asText(), de.path("ttl").asLong(0),
            de.path("extend").asBoolean(false), de.path("replace").asBoolean(false),
            de.path("keepLastIfActive").asBoolean(false)));
      }
    });
    return b.build();
  }

  /** BullMQ's backoff forms: a number (fixed) or {@code {type, delay, jitter}}. */
  public static Backoff backoffFrom(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isNumber()) {
      return Backoff.fixed(node.asLong());
    }
    if (node.isObject() && node.hasNonNull("type")) {
      long delay = node.hasNonNull("delay") ? node.get("delay").asLong() : 0;
      double jitter = node.hasNonNull("jitter") ? node.get("jitter").asDouble() : 0;
      return new Backoff(node.get("type").asText(), delay, jitter);
    }
    return null;
  }

  /**
   * BullMQ's keep forms, each read into the same {@link KeepJobs.Form} so that writing it back stores what was read:
   * a boolean, a count, or {@code {age, count, limit}} (fields left out are -1). Null for anything else.
   */
  public static KeepJobs keepFrom(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isBoolean()) {
      return node.asBoolean() ? KeepJobs.none() : KeepJobs.all();
    }
    if (node.isNumber()) {
      return KeepJobs.newest(node.asLong());
    }
    if (node.isObject()) {
      long count = node.hasNonNull("count") ? node.get("count").asLong() : -1;
      long age = node.hasNonNull("age") ? node.get("age").asLong() : -1;
      long limit = node.hasNonNull("limit") ? node.get("limit").asLong() : -1;
      return new KeepJobs(count, age, limit, KeepJobs.Form.OBJECT);
    }
    return null;
  }

  /** The JSON form of a keep policy, in its {@link KeepJobs#form() form}, as BullMQ stores what its user gave. */
  public static JsonNode keepToJson(KeepJobs keep) {
    return switch (keep.form()) {
      case BOOLEAN -> Json.MAPPER.getNodeFactory().booleanNode(keep.keepsNone());
      case NUMBER -> Json.MAPPER.getNodeFactory().numberNode(keep.count());
      case OBJECT -> {
        ObjectNode node = Json.MAPPER.createObjectNode();
        if (keep.ageSeconds() >= 0) node.put("age", keep.ageSeconds());
        if (keep.count() >= 0) node.put("count", keep.count());
        if (keep.limit() > 0) node.put("limit", keep.limit());
        yield node;
      }
    };
  }

  private static void putKeep(ObjectNode node, String field, KeepJobs keep) {
    node.set(field, keepToJson(keep));
  }

  /** A policy flag under its short key, or (as older writers stored it) its long name. */
  private static boolean flag(JsonNode node, String shortKey, String longKey) {
    return node.path(shortKey).asBoolean(false) || node.path(longKey).asBoolean(false);
  }

  private static void lenient(Runnable read) {
    try {
      read.run();
    } catch (RuntimeException ignored) {
      // A value another writer stored that Bullpen cannot represent stays in the raw opts JSON untouched.
    }
  }
}
