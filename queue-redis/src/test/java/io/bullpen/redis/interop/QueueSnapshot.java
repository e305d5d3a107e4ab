package io.bullpen.redis.interop;

import io.bullpen.redis.internal.keys.QueueKeys;
import io.lettuce.core.StreamMessage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The raw Redis state of one queue at one moment: job hashes and every queue-level key the wire format defines,
 * read with plain Redis commands.
 *
 * @param jobs job hash fields by job id
 * @param waitList the {@code wait} list, left to right
 * @param prioritized the {@code prioritized} zset, member to score
 * @param delayed the {@code delayed} zset, member to score
 * @param completed the {@code completed} zset, member to score
 * @param failed the {@code failed} zset, member to score
 * @param active the {@code active} list
 * @param marker the {@code marker} zset, member to score
 * @param meta the {@code meta} hash
 * @param idCounter the {@code id} counter
 * @param priorityCounter the {@code pc} counter
 * @param events the bodies of the {@code events} stream entries, oldest first
 */
record QueueSnapshot(Map<String, Map<String, String>> jobs, List<String> waitList, Map<String, Double> prioritized,
    Map<String, Double> delayed, Map<String, Double> completed, Map<String, Double> failed, List<String> active,
    Map<String, Double> marker, Map<String, String> meta, String idCounter, String priorityCounter,
    List<Map<String, String>> events) {

  static QueueSnapshot take(RedisInspector redis, QueueKeys keys, Collection<String> jobIds) {
    Map<String, Map<String, String>> jobs = new LinkedHashMap<>();
    for (String id : jobIds) {
      jobs.put(id, redis.jobHash(keys, id));
    }
    List<Map<String, String>> events = new ArrayList<>();
    for (StreamMessage<String, String> entry : redis.stream(keys.events())) {
      events.add(new LinkedHashMap<>(entry.getBody()));
    }
    return new QueueSnapshot(jobs, redis.list(keys.waitList()), redis.zset(keys.prioritized()),
        redis.zset(keys.delayed()), redis.zset(keys.completed()), redis.zset(keys.failed()),
        redis.list(keys.active()), redis.zset(keys.marker()), redis.hash(keys.meta()), redis.string(keys.idCounter()),
        redis.string(keys.priorityCounter()), events);
  }

  /** The stream entries about one job, in order. */
  List<Map<String, String>> eventsFor(String jobId) {
    return events.stream().filter(e -> jobId.equals(e.get("jobId"))).toList();
  }
}
