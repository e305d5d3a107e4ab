package io.bullpen.redis.modulepath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.testkit.QueueNames;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.io.File;
import java.lang.module.FindException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Bullpen as a named module: a child JVM gets queue-redis and the modules it requires on the module path and
 * everything else (Lettuce's Netty and Reactor, the test classes) on the class path, the smallest modular set-up.
 * The tests around run on the class path, so this is where the descriptors meet a real run: Lua scripts read
 * from inside the module, Jackson reading records of the unnamed module, the qualified export of
 * queue-scheduler's run arithmetic, and the internals unexported.
 */
@RedisTest
class ModulePathTest {
  private static final String ROOT = "io.bullpen.queue.redis";

  @Test
  void bullpenWorksFromTheModulePathWithItsInternalsHidden(RunningRedis redis) throws Exception {
    List<Path> classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(s -> !s.isEmpty()).map(Paths::get).toList();
    List<Path> modulePath = modulePathFor(ROOT, classPath);
    List<Path> rest = new ArrayList<>(classPath);
    rest.removeAll(modulePath);

    List<String> command = List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx128m", "-XX:TieredStopAtLevel=1",
        "--module-path", join(modulePath), "--add-modules", ROOT,
        "-cp", join(rest), ModulePathMain.class.getName(), redis.uri(), QueueNames.unique("module-path"));
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output;
    try {
      // Read to the end: the child exits by itself, and a full pipe would block it.
      output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child JVM still running:\n" + output);
    } finally {
      child.destroyForcibly();
    }
    assertEquals(0, child.exitValue(), "child JVM failed; module path " + modulePath + ":\n" + output);
    Map<String, String> seen = new LinkedHashMap<>();
    output.lines().filter(l -> l.matches("[A-Z_]+( .*)?"))
        .forEach(l -> seen.put(l.split(" ", 2)[0], l.contains(" ") ? l.split(" ", 2)[1] : ""));
    assertEquals(ROOT, seen.get("MODULE"), output);
    assertEquals("true", seen.get("EXPORTED_API"), output);
    assertEquals("false", seen.get("EXPORTED_INTERNAL"), output);
    assertEquals("Resized[image=cat.png, width=64, bytes=640]", seen.get("RESULT"), output);
    assertEquals("true", seen.get("SCHEDULED"), output);
    assertTrue(seen.containsKey("DONE"), output);
  }

  /**
   * The class-path entries that hold {@code root} and the modules it requires, transitively; automatic modules
   * require nothing, so their own dependencies stay on the class path, which automatic modules read.
   */
  private static List<Path> modulePathFor(String root, List<Path> classPath) {
    Map<String, Path> location = new HashMap<>();
    Map<String, ModuleDescriptor> descriptors = new HashMap<>();
    for (Path entry : classPath) {
      boolean candidate = entry.toString().endsWith(".jar") || Files.isRegularFile(entry.resolve("module-info.class"));
      if (!candidate) {
        continue;
      }
      try {
        for (ModuleReference ref : ModuleFinder.of(entry).findAll()) {
          String name = ref.descriptor().name();
          if (location.putIfAbsent(name, entry) == null) {
            descriptors.put(name, ref.descriptor());
          }
        }
      } catch (FindException e) {
        // Not usable as a module (no valid derived name, say): it stays on the class path.
      }
    }
    Set<String> needed = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(root));
    while (!todo.isEmpty()) {
      String name = todo.pop();
      // JDK modules are not on the class path, so they are not in the map.
      if (!location.containsKey(name) || !needed.add(name)) {
        continue;
      }
      for (ModuleDescriptor.Requires requires : descriptors.get(name).requires()) {
        if (!requires.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC)) {
          todo.push(requires.name());
        }
      }
    }
    assertTrue(needed.containsAll(Set.of(root, "io.bullpen.queue.api", "io.bullpen.queue.scheduler")),
        "Bullpen's modules not found on the class path: " + needed);
    return needed.stream().map(location::get).toList();
  }

  private static String join(List<Path> paths) {
    return String.join(File.pathSeparator, paths.stream().map(Path::toString).toList());
  }
}
