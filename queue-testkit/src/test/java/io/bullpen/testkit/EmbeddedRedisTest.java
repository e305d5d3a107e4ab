package io.bullpen.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("redis")
class EmbeddedRedisTest {
  private static EmbeddedRedis startEmbedded() {
    return (EmbeddedRedis) RedisLauncher.startEmbedded();
  }

  @Test
  void startsOnAFreeLoopbackPortAndAnswersPing() throws Exception {
    try (EmbeddedRedis redis = startEmbedded()) {
      assertEquals(RunningRedis.SOURCE_EMBEDDED, redis.source());
      assertNotEquals(6379, redis.port());
      assertTrue(redis.port() > 0 && redis.port() < 65536);
      assertTrue(InetAddress.getByName(redis.host()).isLoopbackAddress(), redis.host());
      assertEquals("redis://" + redis.host() + ":" + redis.port(), redis.uri());
      assertEquals("+PONG", Resp.command(redis.host(), redis.port(), "PING"));
      assertTrue(RedisPing.ping(redis.host(), redis.port(), Duration.ofSeconds(1)));
      assertTrue(redis.canRestart());
      assertTrue(Resp.alive(redis.pid()));
      // The server answering is the process we started, not something else on that port.
      assertEquals(redis.pid(), RedisPing.serverPid(redis.host(), redis.port(), Duration.ofSeconds(1)));
    }
  }

  @Test
  void keepsNothingOnDiskAndStartsEmpty() throws Exception {
    try (EmbeddedRedis redis = startEmbedded()) {
      assertEquals(List.of("*2", "$4", "save", "$0", ""),
          Resp.lines(redis.host(), redis.port(), 5, "CONFIG", "GET", "save"));
      assertEquals(List.of("*2", "$10", "appendonly", "$2", "no"),
          Resp.lines(redis.host(), redis.port(), 5, "CONFIG", "GET", "appendonly"));
      assertEquals(List.of("*2", "$4", "bind", "$9", "127.0.0.1"),
          Resp.lines(redis.host(), redis.port(), 5, "CONFIG", "GET", "bind"));
      assertEquals(":0", Resp.command(redis.host(), redis.port(), "DBSIZE"));
    }
  }

  @Test
  void closeKillsTheProcessAndFreesThePort() throws Exception {
    EmbeddedRedis redis = startEmbedded();
    long pid = redis.pid();
    int port = redis.port();
    assertTrue(Resp.alive(pid));

    redis.close();

    assertFalse(Resp.alive(pid), "redis-server pid " + pid + " still alive");
    assertTrue(Resp.refuses(redis.host(), port), "port " + port + " still accepts connections");
    redis.close(); // a second close is harmless
    assertThrows(IllegalStateException.class, redis::startServer);
  }

  @Test
  void twoServersGetDifferentPorts() {
    try (EmbeddedRedis first = startEmbedded(); EmbeddedRedis second = startEmbedded()) {
      assertNotEquals(first.port(), second.port());
      assertNotEquals(first.pid(), second.pid());
    }
  }

  @Test
  void stopAndStartAgainOnTheSamePort() throws Exception {
    try (EmbeddedRedis redis = startEmbedded()) {
      int port = redis.port();
      long firstPid = redis.pid();
      assertEquals("+OK", Resp.command(redis.host(), port, "SET", "survives", "no"));

      redis.stopServer();
      assertFalse(Resp.alive(firstPid), "old pid still alive");
      assertEquals(-1, redis.pid());
      assertTrue(Resp.refuses(redis.host(), port), "stopped server still accepts connections");
      redis.stopServer(); // stopping a stopped server is harmless

      redis.startServer();
      assertEquals(port, redis.port());
      assertEquals("redis://127.0.0.1:" + port, redis.uri());
      assertNotEquals(firstPid, redis.pid());
      assertEquals("+PONG", Resp.command(redis.host(), port, "PING"));
      // Nothing persisted across the restart: it is a fresh, empty server.
      assertEquals("$-1", Resp.command(redis.host(), port, "GET", "survives"));

      long secondPid = redis.pid();
      redis.startServer(); // already running: no new process
      assertEquals(secondPid, redis.pid());
    }
  }

  @Test
  void restartFailsFastWithTheServerOutputWhenThePortIsTaken() throws Exception {
    try (EmbeddedRedis redis = startEmbedded()) {
      redis.stopServer();
      try (ServerSocket squatter = new ServerSocket()) {
        squatter.bind(new InetSocketAddress(InetAddress.getByName(redis.host()), redis.port()));
        long started = System.nanoTime();
        IllegalStateException e = assertThrows(IllegalStateException.class, redis::startServer);
        // The message carries the server's own output, which names the failed bind.
        assertTrue(e.getMessage().contains("Could not create server TCP listening socket"), e.getMessage());
        assertTrue(System.nanoTime() - started < EmbeddedRedis.START_TIMEOUT.toNanos(), "did not fail fast");
        assertEquals(-1, redis.pid());
      }
      redis.startServer(); // port free again
      assertEquals("+PONG", Resp.command(redis.host(), redis.port(), "PING"));
    }
  }

  @Test
  void shutdownHookKillsAServerThatWasNeverClosed() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
        UnclosedRedisMain.class.getName())
        .redirectErrorStream(true)
        .start();
    String line;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      line = out.readLine();
      assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child JVM did not exit");
    } finally {
      child.destroyForcibly();
    }
    assertTrue(line != null && line.startsWith("started "), "child said: " + line);
    String[] parts = line.split(" ");
    long pid = Long.parseLong(parts[1]);
    int port = Integer.parseInt(parts[2]);
    try {
      assertFalse(Resp.alive(pid), "redis-server " + pid + " outlived its JVM");
      assertTrue(Resp.refuses("127.0.0.1", port));
      assertFalse(Files.exists(Path.of(parts[3])), "work directory left behind");
    } finally {
      // Should the hook be broken, do not leave the orphan running.
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  /** Child JVM: starts a server, reports it, and exits without closing it. */
  static final class UnclosedRedisMain {
    public static void main(String[] args) {
      EmbeddedRedis redis = startEmbedded();
      System.out.println("started " + redis.pid() + " " + redis.port() + " " + redis.workDir());
      System.out.flush();
      System.exit(0);
    }
  }
}
