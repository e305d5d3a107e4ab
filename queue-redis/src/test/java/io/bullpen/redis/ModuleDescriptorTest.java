package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The compiled module descriptor of queue-redis, read from this build's output: tests run on the class path,
 * where the descriptor is ignored, so only reading it shows what a module-path user gets.
 */
class ModuleDescriptorTest {

  @Test
  void onlyTheApiPackageIsExported() {
    ModuleDescriptor module = descriptor();
    assertEquals(Set.of("io.bullpen.redis"), exported(module));
    assertFalse(module.isOpen());
    assertTrue(module.opens().isEmpty(), "nothing is opened for reflection: " + module.opens());
  }

  @Test
  void theInternalsAreInTheModuleButHidden() {
    ModuleDescriptor module = descriptor();
    Set<String> internal = module.packages().stream()
        .filter(p -> p.startsWith("io.bullpen.redis.internal."))
        .collect(Collectors.toCollection(TreeSet::new));
    assertTrue(internal.containsAll(Set.of("io.bullpen.redis.internal.keys", "io.bullpen.redis.internal.script",
        "io.bullpen.redis.internal.worker")), "internal packages found: " + internal);
    // Every package is exported, internal, or holds only the Lua scripts (read from inside the module).
    Set<String> unaccounted = module.packages().stream()
        .filter(p -> !exported(module).contains(p))
        .filter(p -> !within(p, "io.bullpen.redis.internal") && !within(p, "io.bullpen.redis.lua"))
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(Set.of(), unaccounted, "packages neither exported nor internal");
  }

  private static boolean within(String pkg, String root) {
    return pkg.equals(root) || pkg.startsWith(root + ".");
  }

  private static Set<String> exported(ModuleDescriptor module) {
    for (ModuleDescriptor.Exports e : module.exports()) {
      assertFalse(e.isQualified(), "no qualified exports expected: " + e);
    }
    return module.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
  }

  private static ModuleDescriptor descriptor() {
    Path classes;
    try {
      classes = Path.of(Queue.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
    return ModuleFinder.of(classes).find("io.bullpen.queue.redis")
        .orElseThrow(() -> new AssertionError("no module io.bullpen.queue.redis in " + classes))
        .descriptor();
  }
}
