package io.bullpen.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag(RedisTest.TAG)
class RedisProcessTest {

  @Test
  void anAppendOnlyServerKeepsAcknowledgedWritesAcrossAKill() throws IOException {
    try (RedisProcess redis = RedisProcess.builder().appendOnly().start()) {
      assertEquals("+OK", inline(redis, "SET survivor yes"));
      long pidBefore = redis.pid();

      redis.kill();
      assertEquals(-1, redis.pid());
      assertFalse(RedisPing.ping(redis.host(), redis.port(), Duration.ofMillis(200)), "killed server answered");

      redis.startServer();
      assertTrue(redis.pid() > 0 && redis.pid() != pidBefore, "a new process serves the port");
      assertEquals("$3", inline(redis, "GET survivor"), "the write survived the kill");
    }
  }

  @Test
  void aServerWithoutPersistenceComesBackEmpty() throws IOException {
    try (RedisProcess redis = RedisProcess.builder().start()) {
      inline(redis, "SET gone yes");
      redis.kill();
      redis.startServer();
      assertEquals("$-1", inline(redis, "GET gone"));
    }
  }

  @Test
  void aFrozenServerAnswersNothingUntilThawed() {
    try (RedisProcess redis = RedisProcess.builder().start()) {
      redis.freeze();
      assertFalse(RedisPing.ping(redis.host(), redis.port(), Duration.ofMillis(300)), "frozen server answered");
      redis.thaw();
      assertTrue(RedisPing.ping(redis.host(), redis.port(), Duration.ofSeconds(5)), "thawed server is silent");
    }
  }

  @Test
  void closingAFrozenServerStillEndsItsProcess() {
    RedisProcess redis = RedisProcess.builder().start();
    long pid = redis.pid();
    redis.freeze();
    redis.close();
    assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "process " + pid + " lives on");
  }

  @Test
  void optionsTheTestKitOwnsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> RedisProcess.builder().arg("port", "1"));
    assertThrows(IllegalArgumentException.class, () -> RedisProcess.builder().arg("--maxmemory", "1mb"));
  }

  @Test
  void extraOptionsReachTheServer() throws IOException {
    try (RedisProcess redis = RedisProcess.builder().arg("maxmemory", "3mb").start()) {
      assertEquals("*2", inline(redis, "CONFIG GET maxmemory"));
      assertTrue(inlineAll(redis, "CONFIG GET maxmemory", 5).contains("3145728"));
    }
  }

  /** Sends one inline command and returns the first line of the reply. */
  private static String inline(RunningRedis redis, String command) throws IOException {
    return inlineAll(redis, command, 1);
  }

  private static String inlineAll(RunningRedis redis, String command, int lines) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(redis.host(), redis.port()), 2000);
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      StringBuilder reply = new StringBuilder(in.readLine());
      for (int i = 1; i < lines; i++) {
        reply.append('\n').append(in.readLine());
      }
      return reply.toString();
    }
  }
}
