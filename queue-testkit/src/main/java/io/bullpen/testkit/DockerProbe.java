package io.bullpen.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Decides whether a Docker engine answers, quickly and without noise when there is none.
 *
 * <p>Asking Testcontainers directly on a machine without an engine walks through every discovery strategy and
 * logs a page of errors. So we first look for cheap signs that an engine could exist (a {@code DOCKER_HOST}, a
 * Testcontainers config file, a socket file), and only then ask Testcontainers, with a time limit.
 */
final class DockerProbe {
  private static final long PROBE_TIMEOUT_SECONDS = 20;

  private static Boolean answers; // guarded by DockerProbe.class; cached because the answer will not change

  private DockerProbe() {}

  /** Whether a Docker engine answers; computed once per JVM. */
  static synchronized boolean engineAnswers() {
    if (answers == null) {
      answers = mightHaveEngine(System.getenv(), Path.of(System.getProperty("user.home")),
          System.getProperty("os.name")) && askTestcontainers();
    }
    return answers;
  }

  /** Cheap, side-effect-free check for any sign of a Docker engine. */
  static boolean mightHaveEngine(Map<String, String> env, Path home, String osName) {
    if (notBlank(env.get("DOCKER_HOST")) || notBlank(env.get("TESTCONTAINERS_DOCKER_SOCKET_OVERRIDE"))) {
      return true;
    }
    if (osName != null && osName.toLowerCase(Locale.ROOT).contains("windows")) {
      return true; // named pipes cannot be checked as files; let Testcontainers decide
    }
    if (Files.exists(home.resolve(".testcontainers.properties"))) {
      return true;
    }
    String runtimeDir = env.get("XDG_RUNTIME_DIR");
    List<Path> sockets = new ArrayList<>(List.of(
        Path.of("/var/run/docker.sock"),
        home.resolve(".docker/run/docker.sock"),
        home.resolve(".docker/desktop/docker.sock"),
        home.resolve(".colima/default/docker.sock"),
        home.resolve(".rd/docker.sock"),
        home.resolve(".orbstack/run/docker.sock")));
    if (notBlank(runtimeDir)) {
      sockets.add(Path.of(runtimeDir, "docker.sock"));
      sockets.add(Path.of(runtimeDir, "podman", "podman.sock"));
    }
    return sockets.stream().anyMatch(Files::exists);
  }

  /** Asks Testcontainers on a daemon thread so a hung engine cannot hang the test run. */
  private static boolean askTestcontainers() {
    FutureTask<Boolean> task = new FutureTask<>(
        () -> org.testcontainers.DockerClientFactory.instance().isDockerAvailable());
    Thread thread = new Thread(task, "bullpen-docker-probe");
    thread.setDaemon(true);
    thread.start();
    try {
      return task.get(PROBE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // ExecutionException also covers a missing Testcontainers jar (NoClassDefFoundError inside the task).
      task.cancel(true);
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static boolean notBlank(String value) {
    return value != null && !value.isBlank();
  }
}
