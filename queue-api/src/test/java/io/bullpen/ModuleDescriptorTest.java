package io.bullpen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The compiled module descriptor of queue-api, read from this build's output (tests run on the class path, where
 * it is ignored).
 */
class ModuleDescriptorTest {

  @Test
  void exportsEveryPackageAndNeedsOnlyTheJdk() {
    ModuleDescriptor module = descriptor();
    Set<String> exported = module.exports().stream()
        .peek(e -> assertTrue(!e.isQualified(), "no qualified exports expected: " + e))
        .map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
    assertEquals(Set.of("io.bullpen", "io.bullpen.event", "io.bullpen.observe"), exported);
    assertEquals(module.packages(), exported, "an API module hides nothing");
    assertEquals(Set.of("java.base"),
        module.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()));
  }

  private static ModuleDescriptor descriptor() {
    Path classes;
    try {
      classes = Path.of(Job.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
    return ModuleFinder.of(classes).find("io.bullpen.queue.api")
        .orElseThrow(() -> new AssertionError("no module io.bullpen.queue.api in " + classes))
        .descriptor();
  }
}
