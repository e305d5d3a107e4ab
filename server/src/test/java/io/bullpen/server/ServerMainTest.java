package io.bullpen.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code server keys create|list|revoke} on a key file. */
class ServerMainTest {
  @TempDir
  Path dir;

  private String run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status = new ServerMain(Map.of("BULLPEN_KEYS", dir.resolve("keys.json").toString()),
        new PrintStream(out, true, StandardCharsets.UTF_8)).run(args);
    return status + "\n" + out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void createsListsAndRevokesKeys() {
    String created = run("keys", "create", "--name", "relay", "--scopes", "work,read", "--queues", "mail-*");
    assertTrue(created.startsWith("0\n"), created);
    Matcher key = Pattern.compile("key \\(shown once, store it now\\): (bp_([0-9a-f]{16})_\\S+)").matcher(created);
    assertTrue(key.find(), created);
    assertTrue(ApiKeys.file(dir.resolve("keys.json")).authenticate(key.group(1)).isPresent());

    String listed = run("keys", "list");
    assertTrue(listed.contains(key.group(2) + "  relay"), listed);
    assertTrue(!listed.contains(key.group(1)), "list never shows a secret: " + listed);

    assertTrue(run("keys", "revoke", key.group(2)).contains("revoked " + key.group(2)));
    assertTrue(ApiKeys.file(dir.resolve("keys.json")).authenticate(key.group(1)).isEmpty());
    assertEquals("1", run("keys", "revoke", key.group(2)).split("\n")[0]);
  }

  @Test
  void anUnknownCommandPrintsUsage() {
    String out = run("frobnicate");
    assertTrue(out.startsWith("2\n") && out.contains("usage:"), out);
  }
}
