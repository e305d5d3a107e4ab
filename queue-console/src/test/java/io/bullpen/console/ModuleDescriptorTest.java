package io.bullpen.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The compiled descriptor of queue-console (tests run on the class path, where it is ignored). */
class ModuleDescriptorTest {
  @Test
  void exportsTheDisplayPackageAndReadsOnlyTheApi() throws Exception {
    Path classes = Path.of(LiveScreen.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    ModuleDescriptor module = ModuleFinder.of(classes).find("io.bullpen.queue.console").orElseThrow().descriptor();
    assertEquals(Set.of("io.bullpen.console"), module.exports().stream().map(ModuleDescriptor.Exports::source)
        .collect(Collectors.toSet()));
    assertEquals(Set.of("java.base", "io.bullpen.queue.api"), module.requires().stream()
        .map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()));
    assertTrue(module.opens().isEmpty());
  }
}
