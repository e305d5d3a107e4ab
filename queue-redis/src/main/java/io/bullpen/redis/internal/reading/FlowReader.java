package io.bullpen.redis.internal.reading;

import io.bullpen.InvalidOptionException;
import io.bullpen.JobNode;
import io.bullpen.JobState;
import io.bullpen.redis.internal.job.JobBackend;
import io.bullpen.redis.internal.job.RedisJob;
import io.bullpen.redis.internal.job.RedisJobBackend;
import io.bullpen.redis.internal.keys.QueueKeys;
import io.bullpen.redis.internal.script.Call;
import io.bullpen.redis.internal.script.QueueScripts;
import io.bullpen.redis.internal.script.Script;
import io.bullpen.redis.internal.script.ScriptRunner;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Reads a flow tree with the {@code getFlow} script: every node's hash and state in one consistent step. */
public final class FlowReader {
  private final ScriptRunner runner;
  private final long timeoutMillis;
  private final Function<QueueKeys, JobBackend> backends;

  public FlowReader(ScriptRunner runner, long timeoutMillis, Function<QueueKeys, JobBackend> backends) {
    this.runner = runner;
    this.timeoutMillis = timeoutMillis;
    this.backends = backends;
  }

  /** The tree below the job {@code jobId} of {@code queue}, {@code depth} levels deep; empty if there is no job. */
  public Call<Optional<JobNode>> read(QueueKeys queue, String jobId, int depth, int maxChildren) {
    RedisJobBackend.requireId(jobId);
    if (depth < 1) {
      throw new InvalidOptionException("depth", depth, "must be >= 1 (1 reads the job alone)");
    }
    if (maxChildren < 1) {
      throw new InvalidOptionException("maxChildren", maxChildren, "must be >= 1");
    }
    return Call.of("getFlow of " + jobId + " in queue " + queue.queueName(), timeoutMillis,
        () -> runner.run(Script.GET_FLOW, List.of(queue.jobKey(jobId)),
            List.of(Integer.toString(depth), Integer.toString(maxChildren)))).map(this::tree);
  }

  private Optional<JobNode> tree(Object reply) {
    List<Object> entries = QueueScripts.list(reply, "getFlow");
    if (entries.isEmpty()) {
      return Optional.empty();
    }
    int size = entries.size();
    int[] parents = new int[size];
    RedisJob[] jobs = new RedisJob[size];
    JobState[] states = new JobState[size];
    for (int i = 0; i < size; i++) {
      List<Object> entry = QueueScripts.list(entries.get(i), "getFlow");
      parents[i] = (int) QueueScripts.number(entry.get(0), "getFlow") - 1;
      QueueKeys.JobRef ref = QueueKeys.parseJobKey(String.valueOf(entry.get(1))).orElseThrow();
      states[i] = JobState.fromWireName(String.valueOf(entry.get(2)));
      Map<String, String> fields = RedisJob.fieldsFromFlatList(QueueScripts.list(entry.get(3), "getFlow"));
      jobs[i] = new RedisJob(ref.jobId(), ref.queue().queueName(), fields, backends.apply(ref.queue()), null);
    }
    List<List<JobNode>> children = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      children.add(new ArrayList<>());
    }
    JobNode root = null;
    for (int i = size - 1; i >= 0; i--) {
      List<JobNode> mine = children.get(i);
      Collections.reverse(mine);
      JobNode node = new JobNode(jobs[i], states[i], mine);
      if (parents[i] >= 0) {
        children.get(parents[i]).add(node);
      } else {
        root = node;
      }
    }
    return Optional.ofNullable(root);
  }
}
