package io.bullpen.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The compiled descriptor (tests run on the class path, where it is ignored): what a module-path user gets. */
class ModuleDescriptorTest {
  @Test
  void onlyTheApiPackageIsExportedAndThePostgresDriverIsOptional() throws Exception {
    Path classes = Path.of(Outbox.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    ModuleDescriptor module = ModuleFinder.of(classes).find("io.bullpen.queue.outbox").orElseThrow().descriptor();
    assertEquals(Set.of("io.bullpen.outbox"),
        module.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
    assertTrue(module.opens().isEmpty());
    assertTrue(module.packages().contains("io.bullpen.outbox.internal"));
    assertTrue(module.requires().stream().anyMatch(r -> r.name().equals("org.postgresql.jdbc")
        && r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC)), module.requires().toString());
  }
}
