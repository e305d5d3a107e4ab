package io.bullpen.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The compiled module descriptor of queue-scheduler, read from this build's output (tests run on the class path,
 * where it is ignored).
 */
class ModuleDescriptorTest {

  @Test
  void exportsTheApiToAllAndTheRunArithmeticToQueueRedisOnly() {
    ModuleDescriptor module = descriptor();
    Map<String, Set<String>> exports = module.exports().stream()
        .collect(Collectors.toMap(ModuleDescriptor.Exports::source, ModuleDescriptor.Exports::targets));
    assertEquals(Map.of(
        "io.bullpen.scheduler", Set.of(),
        "io.bullpen.scheduler.internal", Set.of("io.bullpen.queue.redis")), exports);
    assertEquals(exports.keySet(), module.packages(), "every package is listed above");
    assertTrue(module.opens().isEmpty() && !module.isOpen());
  }

  private static ModuleDescriptor descriptor() {
    Path classes;
    try {
      classes = Path.of(QueueScheduler.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
    return ModuleFinder.of(classes).find("io.bullpen.queue.scheduler")
        .orElseThrow(() -> new AssertionError("no module io.bullpen.queue.scheduler in " + classes))
        .descriptor();
  }
}
