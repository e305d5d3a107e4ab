package io.bullpen.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Needs {@code node} on the PATH. Skipped without it, unless {@code BULLPEN_REQUIRE_NODE=1} (set by .ci/run),
 * which turns a missing Node into a failure so CI cannot pass by skipping.
 */
@RedisTest
class NodeBullmqTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static NodeBullmq node;

  @BeforeAll
  static void requireNode() {
    node = new NodeBullmq();
    boolean available = node.isAvailable();
    if ("1".equals(System.getenv("BULLPEN_REQUIRE_NODE"))) {
      assertTrue(available, "node with bullmq is required but not available in " + node.directory());
    }
    assumeTrue(available, "node or interop/node/node_modules not available");
  }

  @Test
  void findsTheInteropDirectoryAboveTheWorkingDirectory() {
    Path dir = node.directory().orElseThrow();
    assertTrue(dir.endsWith(Path.of("interop", "node")), dir.toString());
    assertTrue(Files.isRegularFile(dir.resolve("ping.mjs")));
    assertEquals(node.directory(), NodeBullmq.findDirectory(dir.resolve("node_modules")));
  }

  @Test
  void nothingIsAvailableWithoutADirectory(@TempDir Path empty) {
    assertTrue(NodeBullmq.findDirectory(empty).isEmpty());
    NodeBullmq none = new NodeBullmq(null);
    assertFalse(none.isAvailable());
    assertThrows(IllegalStateException.class, () -> none.run("ping.mjs", Map.of(), TIMEOUT));
  }

  @Test
  void installsNodeModulesWhenMissing(@TempDir Path copy, RunningRedis redis) throws Exception {
    Path source = node.directory().orElseThrow();
    for (String file : List.of("package.json", "package-lock.json", "ping.mjs")) {
      Files.copy(source.resolve(file), copy.resolve(file));
    }
    NodeBullmq fresh = new NodeBullmq(copy);
    assertTrue(fresh.isAvailable(), "npm install in a copy of interop/node failed (see stderr)");
    assertTrue(Files.isRegularFile(copy.resolve("node_modules/bullmq/package.json")));
    assertEquals(List.of("{\"ok\":true,\"version\":\"6.7.0\"}"),
        fresh.run("ping.mjs", Map.of("REDIS_URL", redis.uri()), TIMEOUT));
  }

  @Test
  void bullmqPingsTheTestRedis(RunningRedis redis) {
    List<String> out = node.run("ping.mjs", Map.of("REDIS_URL", redis.uri()), TIMEOUT);
    assertEquals(List.of("{\"ok\":true,\"version\":\"6.7.0\"}"), out);
  }

  @Test
  void pingFailsWithStderrWhenRedisIsNotThere() {
    String url = "redis://127.0.0.1:" + FreePort.find();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> node.run("ping.mjs", Map.of("REDIS_URL", url), TIMEOUT));
    assertTrue(e.getMessage().contains("ECONNREFUSED"), e.getMessage());
  }

  @Test
  void passesEnvironmentAndReturnsStdoutLines(@TempDir Path dir) throws Exception {
    Path script = Files.writeString(dir.resolve("echo.mjs"),
        "console.log(process.env.GREETING);\nconsole.log(process.cwd());\nconsole.error('not stdout');\n");
    List<String> out = node.run(script.toString(), Map.of("GREETING", "hello bullmq"), TIMEOUT);
    assertEquals(List.of("hello bullmq", node.directory().orElseThrow().toString()), out);
  }

  @Test
  void nonZeroExitThrowsWithStderr(@TempDir Path dir) throws Exception {
    Path script = Files.writeString(dir.resolve("fail.mjs"),
        "console.log('partial');\nconsole.error('boom from node');\nprocess.exit(3);\n");
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> node.run(script.toString(), Map.of(), TIMEOUT));
    assertTrue(e.getMessage().contains("code 3"), e.getMessage());
    assertTrue(e.getMessage().contains("boom from node"), e.getMessage());
  }

  @Test
  void timeoutKillsTheScript(@TempDir Path dir) throws Exception {
    Path pidFile = dir.resolve("pid");
    Path script = Files.writeString(dir.resolve("hang.mjs"),
        "import { writeFileSync } from 'node:fs';\n"
            + "writeFileSync(process.env.PID_FILE, String(process.pid));\n"
            + "console.error('hanging');\n"
            + "setInterval(() => {}, 1000);\n");
    long started = System.nanoTime();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> node.run(script.toString(), Map.of("PID_FILE", pidFile.toString()), Duration.ofSeconds(2)));
    assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(20)) < 0);
    assertTrue(e.getMessage().contains("did not finish"), e.getMessage());
    assertTrue(e.getMessage().contains("hanging"), e.getMessage());
    long pid = Long.parseLong(Files.readString(pidFile).trim());
    try {
      assertFalse(Resp.alive(pid), "node " + pid + " survived the timeout");
    } finally {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly); // no orphan if the kill is broken
    }
  }
}
