package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.Job;
import io.bullpen.JobState;
import io.bullpen.event.WorkerListener;
import io.bullpen.redis.internal.script.FunctionLibrary;
import io.bullpen.redis.internal.script.Script;
import io.bullpen.testkit.DirectRedis;
import io.bullpen.testkit.RedisProcess;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import io.bullpen.testkit.StandaloneOnly;
import io.lettuce.core.FlushMode;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Bullpen's scripts run as Redis functions where the server takes them, and as EVAL scripts where it does not. */
@RedisTest
class ScriptFunctionsTest {

  @Test
  @SuppressWarnings("unchecked")
  void aQueueLoadsOneLibraryWithAFunctionPerScriptAndCallsThem(RunningRedis redis) {
    try (DirectRedis raw = DirectRedis.connect(redis);
        Queue queue = new Queue(RedisProbe.uniqueQueueName(), QueueOptions.of(RedisConfig.of(redis.uri())))) {
      queue.add("first", Map.of("n", 1));
      RedisCommands<String, String> owner = raw.nodeFor("bull:" + queue.name() + ":id");
      FunctionLibrary library = FunctionLibrary.bullpen();
      List<Map<String, Object>> listed = owner.functionList(library.name());
      assertEquals(1, listed.size(), listed.toString());
      Map<String, Set<String>> flagsByFunction = new ConcurrentHashMap<>();
      for (Object function : (List<Object>) listed.get(0).get("functions")) {
        Map<String, Object> fields = (Map<String, Object>) function;
        flagsByFunction.put(String.valueOf(fields.get("name")), ((List<Object>) fields.get("flags")).stream()
            .map(String::valueOf).collect(Collectors.toSet()));
      }
      for (Script script : Script.values()) {
        String name = library.functionName(script);
        if (!script.runsAsFunction()) {
          assertEquals(null, name, script.toString());
          continue;
        }
        assertTrue(flagsByFunction.containsKey(name), name + " missing from " + flagsByFunction.keySet());
        assertEquals(script.readOnly() ? Set.of("no-writes") : Set.of(), flagsByFunction.get(name), name);
      }

      long fcallsBefore = raw.commandCalls("fcall");
      long evalshasBefore = raw.commandCalls("evalsha");
      queue.add("second", Map.of("n", 2));
      assertEquals(2L, queue.getJobCounts(JobState.WAITING).get(JobState.WAITING));
      assertTrue(raw.commandCalls("fcall") - fcallsBefore >= 2, "add and count ran as functions");
      assertEquals(evalshasBefore, raw.commandCalls("evalsha"), "no EVALSHA once the library is loaded");
    }
  }

  @Test
  @StandaloneOnly("flushes the functions of a server of its own")
  void workersFinishEveryJobOnceWhileTheLibraryIsFlushedUnderThem() throws Exception {
    try (RedisProcess server = RedisProcess.builder().start();
        DirectRedis raw = DirectRedis.connect(server.uri())) {
      RedisConfig config = RedisConfig.of(server.uri());
      String queueName = RedisProbe.uniqueQueueName();
      int jobs = 600;
      Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
      AtomicInteger completed = new AtomicInteger();
      List<Worker> workers = new ArrayList<>();
      try (Queue queue = new Queue(queueName, QueueOptions.of(config))) {
        for (int w = 0; w < 3; w++) {
          Worker worker = new Worker(queueName, job -> {
            runs.computeIfAbsent(job.id(), id -> new AtomicInteger()).incrementAndGet();
            return job.id();
          }, WorkerOptions.builder().redis(config).concurrency(8).build());
          worker.addListener(new WorkerListener() {
            @Override
            public void onCompleted(Job job, Object result) {
              completed.incrementAndGet();
            }
          });
          workers.add(worker);
        }
        for (int i = 0; i < jobs; i++) {
          queue.add("job", Map.of("i", i));
          if (i % 150 == 75) {
            raw.sync().functionFlush(FlushMode.SYNC);
          }
        }
        WorkerFixture.await(() -> completed.get() >= jobs, "all jobs completed");
        assertEquals(jobs, runs.size());
        assertTrue(runs.values().stream().allMatch(n -> n.get() == 1), "every job ran once: " + runs);
        assertEquals((long) jobs, queue.getJobCounts(JobState.COMPLETED).get(JobState.COMPLETED));
        assertEquals(1, raw.sync().functionList(FunctionLibrary.bullpen().name()).size(), "library back");
        assertTrue(raw.commandCalls("eval") > 0, "calls that met a flushed library ran as EVAL scripts");
      } finally {
        workers.forEach(Worker::close);
      }
    }
  }

  @Test
  @StandaloneOnly("needs ACL users of a server of its own")
  void aUserWithoutFunctionRightsRunsTheScriptsAsEvalScripts() throws Exception {
    try (RedisProcess server = RedisProcess.builder()
        .aclUser("app", "app-secret", "~*", "&*", "+@all", "-function", "-fcall", "-fcall_ro").start();
        DirectRedis raw = DirectRedis.connect(server.uri())) {
      RedisConfig config = RedisConfig.of(server.uri("app"));

      assertEquals("hi app", RedisProbe.runOneJob(config, "app"));

      assertEquals(0, raw.commandCalls("fcall"));
      assertTrue(raw.commandCalls("evalsha") > 0);
      assertEquals(List.of(), raw.sync().functionList(), "nothing loaded");
    }
  }
}
