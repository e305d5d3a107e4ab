package io.bullpen.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("redis")
class RedisLauncherTest {
  private static final BooleanSupplier DOCKER_MUST_NOT_BE_ASKED = () -> fail("Docker probed although REDIS_URL is set");

  @Test
  void redisUrlWinsAndIsNeverStopped() {
    try (RunningRedis owned = RedisLauncher.startEmbedded()) {
      RunningRedis given = RedisLauncher.start(Map.of("REDIS_URL", owned.uri()), DOCKER_MUST_NOT_BE_ASKED);
      assertEquals(RunningRedis.SOURCE_REDIS_URL, given.source());
      assertEquals(owned.uri(), given.uri());
      assertEquals("127.0.0.1", given.host());
      assertEquals(owned.port(), given.port());
      assertFalse(given.canRestart());
      assertThrows(UnsupportedOperationException.class, given::stopServer);
      assertThrows(UnsupportedOperationException.class, given::startServer);

      given.close();

      assertTrue(RedisPing.ping(owned.host(), owned.port(), Duration.ofSeconds(1)), "closing REDIS_URL stopped it");
    }
  }

  @Test
  void redisUrlKeepsCredentialsInTheUriButNotInToString() {
    RunningRedis given = RedisLauncher.start(Map.of("REDIS_URL", " redis://user:s3cret@[::1]:6390/2 "),
        DOCKER_MUST_NOT_BE_ASKED);
    assertEquals("redis://user:s3cret@[::1]:6390/2", given.uri());
    assertEquals("::1", given.host());
    assertEquals(6390, given.port());
    assertFalse(given.toString().contains("s3cret"), given.toString());
  }

  @Test
  void redisUrlMustBeUsable() {
    assertThrows(IllegalArgumentException.class,
        () -> RedisLauncher.start(Map.of("REDIS_URL", "redis://localhost"), DOCKER_MUST_NOT_BE_ASKED));
    assertThrows(IllegalArgumentException.class,
        () -> RedisLauncher.start(Map.of("REDIS_URL", "http://localhost:8080"), DOCKER_MUST_NOT_BE_ASKED));
    assertThrows(IllegalArgumentException.class,
        () -> RedisLauncher.start(Map.of("REDIS_URL", "redis://:7000"), DOCKER_MUST_NOT_BE_ASKED));
  }

  @Test
  void withoutRedisUrlOrDockerItStartsTheEmbeddedServer() {
    boolean[] asked = {false};
    BooleanSupplier noDocker = () -> {
      asked[0] = true;
      return false;
    };
    try (RunningRedis redis = RedisLauncher.start(Map.of("REDIS_URL", "  "), noDocker)) {
      assertTrue(asked[0], "Docker was not considered");
      assertEquals(RunningRedis.SOURCE_EMBEDDED, redis.source());
      assertInstanceOf(EmbeddedRedis.class, redis);
      assertTrue(RedisPing.ping(redis.host(), redis.port(), Duration.ofSeconds(1)));
    }
  }

  @Test
  void defaultStartOnThisMachine() {
    assumeTrue(System.getenv("REDIS_URL") == null, "REDIS_URL is set");
    long before = System.nanoTime();
    boolean docker = DockerProbe.engineAnswers();
    Duration probe = Duration.ofNanos(System.nanoTime() - before);
    if (!DockerProbe.mightHaveEngine(System.getenv(), Path.of(System.getProperty("user.home")),
        System.getProperty("os.name"))) {
      assertFalse(docker);
      assertTrue(probe.compareTo(Duration.ofSeconds(2)) < 0, "probe without any engine took " + probe);
    }
    try (RunningRedis redis = RedisLauncher.start()) {
      assertEquals(docker ? RunningRedis.SOURCE_TESTCONTAINERS : RunningRedis.SOURCE_EMBEDDED, redis.source());
      assertNotEquals(6379, redis.port());
      assertTrue(RedisPing.ping(redis.host(), redis.port(), Duration.ofSeconds(1)));
    }
  }

  @Test
  void dockerProbeLooksForSignsOfAnEngine(@TempDir Path home) throws Exception {
    assertTrue(DockerProbe.mightHaveEngine(Map.of("DOCKER_HOST", "tcp://127.0.0.1:2375"), home, "Linux"));
    assertTrue(DockerProbe.mightHaveEngine(Map.of(), home, "Windows 11"));
    Path runtimeDir = Files.createDirectories(home.resolve("run"));
    Files.createFile(runtimeDir.resolve("docker.sock"));
    assertTrue(DockerProbe.mightHaveEngine(Map.of("XDG_RUNTIME_DIR", runtimeDir.toString()), home, "Linux"));

    assumeTrue(!Files.exists(Path.of("/var/run/docker.sock")), "this machine has a Docker socket");
    assertFalse(DockerProbe.mightHaveEngine(Map.of(), home, "Linux"));
    Files.writeString(home.resolve(".testcontainers.properties"), "docker.host=tcp://127.0.0.1:2375\n");
    assertTrue(DockerProbe.mightHaveEngine(Map.of(), home, "Linux"));
  }

  @Test
  void binaryIsPickedByOsAndArchitecture() throws Exception {
    assertEquals("redis-server-7.0.15-linux-amd64", RedisBinary.resourceName("Linux", "amd64"));
    assertEquals("redis-server-7.0.15-linux-amd64", RedisBinary.resourceName("Linux", "x86_64"));
    assertEquals("redis-server-7.0.15-linux-arm64", RedisBinary.resourceName("Linux", "aarch64"));
    assertEquals("redis-server-7.0.15-darwin-arm64", RedisBinary.resourceName("Mac OS X", "aarch64"));
    assertEquals("redis-server-7.0.15-darwin-amd64", RedisBinary.resourceName("Mac OS X", "x86_64"));
    assertEquals("redis-server-7.0.15-linux-386", RedisBinary.resourceName("Linux", "i386"));
    assertThrows(IllegalStateException.class, () -> RedisBinary.resourceName("Windows 11", "amd64"));
    assertThrows(IllegalStateException.class, () -> RedisBinary.resourceName("Linux", "riscv64"));
    for (String name : new String[] {"redis-server-7.0.15-linux-amd64", "redis-server-7.0.15-linux-arm64",
        "redis-server-7.0.15-darwin-arm64", "redis-server-7.0.15-darwin-amd64", "redis-server-7.0.15-linux-386"}) {
      try (InputStream in = getClass().getClassLoader().getResourceAsStream(name)) {
        assertNotNull(in, name + " missing from embedded-redis");
      }
    }
  }

  @Test
  void freePortsAreFreeLoopbackPortsOtherThan6379() {
    for (int i = 0; i < 50; i++) {
      int port = FreePort.find();
      assertNotEquals(6379, port);
      assertTrue(Resp.refuses("127.0.0.1", port), "port " + port + " is in use");
    }
  }

  @Test
  void pingIsFalseWhenNothingListens() {
    int port = FreePort.find();
    assertFalse(RedisPing.ping("127.0.0.1", port, Duration.ofMillis(500)));
    assertEquals(-1, RedisPing.serverPid("127.0.0.1", port, Duration.ofMillis(500)));
  }
}
