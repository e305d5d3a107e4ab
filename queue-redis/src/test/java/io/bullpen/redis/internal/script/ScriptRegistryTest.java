package io.bullpen.redis.internal.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The script registry and the scripts' own headers say the same thing. */
class ScriptRegistryTest {
  private static final Pattern BRACKETED = Pattern.compile("KEYS\\[(\\d+)]");
  private static final Pattern NUMBERED = Pattern.compile("(?:KEYS:|,|--)\\s+(\\d+)\\s+[a-z]");

  @Test
  void everyLuaFileHasARegistryEntryAndEveryEntryAFile() throws Exception {
    Set<String> files;
    try (Stream<Path> list = Files.list(luaDirectory())) {
      files = list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".lua"))
          .map(n -> n.substring(0, n.length() - 4)).collect(Collectors.toCollection(TreeSet::new));
    }
    Set<String> registered = Arrays.stream(Script.values()).map(Script::fileName)
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(files, registered, "lua/*.lua files vs Script constants");
  }

  @Test
  void everyEntryDeclaresTheKeyCountOfItsScriptHeader() throws IOException {
    for (Script script : Script.values()) {
      String header = header(read(script.fileName()));
      int keysAt = header.indexOf("KEYS");
      assertTrue(keysAt >= 0, script.fileName() + ".lua has no KEYS in its header");
      int argvAt = header.indexOf("ARGV", keysAt);
      String section = header.substring(keysAt, argvAt < 0 ? header.length() : argvAt);
      int declared = Math.max(highest(BRACKETED, section), highest(NUMBERED, section));
      int expected = declared == 0 ? Script.VARIABLE_KEYS : declared;
      assertEquals(expected, script.keyCount(), script + ": key count of " + script.fileName() + ".lua's header");
    }
  }

  @Test
  void everyScriptOpensWithAHeaderListingArgvAndItsReturnValue() throws IOException {
    for (Script script : Script.values()) {
      String header = header(read(script.fileName()));
      assertTrue(header.contains("ARGV"), script.fileName() + ".lua's header does not describe ARGV");
      assertTrue(header.toLowerCase(java.util.Locale.ROOT).contains("return"),
          script.fileName() + ".lua's header does not describe its return value");
    }
  }

  @Test
  void theArchitectureGuideCataloguesEveryScript() throws IOException {
    // Surefire runs in the module's directory; the guide lives at the repository root.
    String guide = Files.readString(Path.of("..", "docs", "architecture.md"));
    for (Script script : Script.values()) {
      assertTrue(guide.contains("| `" + script.fileName() + "` |"),
          "docs/architecture.md has no catalogue row for " + script.fileName());
    }
  }

  @Test
  void aKeyListOfTheWrongLengthIsRefusedBeforeAnythingIsSent() {
    try {
      Script.PAUSE.checkKeys(List.of("only-one"));
      fail("pause takes 3 keys");
    } catch (IllegalStateException expected) {
      assertTrue(expected.getMessage().contains("pause takes 3 keys"), expected.getMessage());
    }
    Script.ADD_FLOW.checkKeys(List.of("a", "b", "c", "d"));
  }

  private static int highest(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    int max = 0;
    while (m.find()) {
      max = Math.max(max, Integer.parseInt(m.group(1)));
    }
    return max;
  }

  /** The leading comment: a {@code --[[ ]]} block or the run of {@code --} lines before the first code line. */
  private static String header(String source) {
    String trimmed = source.stripLeading();
    if (trimmed.startsWith("--[[")) {
      return trimmed.substring(4, trimmed.indexOf("]]"));
    }
    StringBuilder out = new StringBuilder();
    for (String line : source.split("\n")) {
      if (!line.startsWith("--")) {
        break;
      }
      out.append(line).append('\n');
    }
    return out.toString();
  }

  private static String read(String name) throws IOException {
    try (InputStream in = Script.class.getResourceAsStream("/io/bullpen/redis/lua/" + name + ".lua")) {
      assertTrue(in != null, "missing " + name + ".lua");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static Path luaDirectory() throws URISyntaxException {
    return Path.of(Script.class.getResource("/io/bullpen/redis/lua/addJobs.lua").toURI()).getParent();
  }
}
