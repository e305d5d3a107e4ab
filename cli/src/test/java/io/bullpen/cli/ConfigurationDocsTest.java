package io.bullpen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bullpen.cli.internal.Session;
import io.bullpen.config.ConfigSection;
import io.bullpen.config.Setting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/configuration.md has a row for every key the CLI reads, with its variable. No Redis. */
class ConfigurationDocsTest {
  @Test
  void everyKeyAndItsVariableIsDocumented() throws IOException {
    String doc = Files.readString(Path.of("..", "docs", "configuration.md"));
    List<String> missing = new ArrayList<>();
    for (ConfigSection<?> section : Session.SECTIONS) {
      for (Setting<?> setting : section.settings()) {
        String row = "| `" + setting.key() + "` | `" + section.envName(setting) + "` |";
        if (!doc.contains(row)) {
          missing.add(section.keyOf(setting));
        }
      }
    }
    assertEquals(List.of(), missing, "keys without a row in docs/configuration.md");
  }
}
