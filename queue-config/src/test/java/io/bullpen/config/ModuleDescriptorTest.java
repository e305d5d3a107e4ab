package io.bullpen.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The compiled module descriptor of queue-config, read from this build's output (tests run on the class path, where
 * it is ignored): only the API package is exported, the internals are in the module but hidden.
 */
class ModuleDescriptorTest {
  @Test
  void onlyTheApiPackageIsExportedAndQueueRedisIsReadTransitively() throws Exception {
    Path classes = Path.of(BullpenConfig.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    ModuleDescriptor module = ModuleFinder.of(classes).find("io.bullpen.queue.config")
        .orElseThrow(() -> new AssertionError("no module io.bullpen.queue.config in " + classes)).descriptor();
    assertEquals(Set.of("io.bullpen.config"), module.exports().stream().map(ModuleDescriptor.Exports::source)
        .collect(Collectors.toSet()));
    assertTrue(module.packages().contains("io.bullpen.config.internal"), module.packages().toString());
    assertFalse(module.isOpen());
    assertTrue(module.opens().isEmpty());
    assertTrue(module.requires().stream().anyMatch(r -> r.name().equals("io.bullpen.queue.redis")
        && r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE)), module.requires().toString());
  }
}
