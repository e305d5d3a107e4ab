package io.bullpen.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.config.ConfigException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code server keys create|list|revoke} on a key file, and {@code server config}; no Redis. */
class ServerMainTest {
  @TempDir
  Path dir;

  private String run(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status = new ServerMain(env, new PrintStream(out, true, StandardCharsets.UTF_8)).run(args);
    return status + "\n" + out.toString(StandardCharsets.UTF_8);
  }

  private String run(String... args) {
    return run(Map.of("BULLPEN_SERVER_KEY_FILE", dir.resolve("keys.json").toString()), args);
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
  void theKeyFileComesFromTheConfigFileUnlessTheFlagNamesOne() throws IOException {
    Path config = Files.writeString(dir.resolve("bullpen.toml"),
        "[server]\nkey_file = \"" + dir.resolve("from-config.json").toString().replace("\\", "\\\\") + "\"\n");
    assertTrue(run(Map.of(), "keys", "create", "--config", config.toString(), "--name", "a", "--scopes", "read")
        .startsWith("0\n"));
    assertEquals(1, ApiKeys.file(dir.resolve("from-config.json")).list().size());

    assertTrue(run(Map.of(), "keys", "create", "--config", config.toString(), "--keys",
        dir.resolve("flag.json").toString(), "--name", "b", "--scopes", "read").startsWith("0\n"));
    assertEquals(1, ApiKeys.file(dir.resolve("flag.json")).list().size());
    assertEquals(1, ApiKeys.file(dir.resolve("from-config.json")).list().size());
  }

  @Test
  void configPrintsTheServerSectionWithOriginsAndEnvironmentOverrides() throws IOException {
    Path config = Files.writeString(dir.resolve("bullpen.toml"),
        "[redis]\nuri = \"redis://:hunter2@10.0.0.5:6379\"\n\n[server]\nport = 9000\ncors_origins = "
            + "[\"https://ops.example.com\"]\n");
    String shown = run(Map.of("BULLPEN_SERVER_PORT", "9100"), "config", "--config", config.toString());
    assertTrue(shown.startsWith("0\n"), shown);
    assertTrue(shown.contains("[server]"), shown);
    assertTrue(shown.matches("(?s).*port = 9100 +# environment BULLPEN_SERVER_PORT.*"), shown);
    assertTrue(shown.matches("(?s).*cors_origins = \\[\"https://ops.example.com\"] +# " + Pattern.quote(config
        .toString()) + " line 6.*"), shown);
    assertTrue(shown.contains("queues = []"), shown);
    assertTrue(!shown.contains("hunter2"), "the password is masked: " + shown);
  }

  @Test
  void aValueTheServerOptionsRefuseIsReportedAtItsKeyFileAndLine() throws IOException {
    Path config = Files.writeString(dir.resolve("bullpen.toml"), "[server]\nport = 8080\ncors_origins = "
        + "[\"ops.example.com\"]\n");
    ConfigException e = assertThrows(ConfigException.class, () -> run(Map.of(), "config", "--config",
        config.toString()));
    assertEquals("server.cors_origins", e.key().orElseThrow());
    assertEquals(config + " line 3", e.origin());
    assertTrue(e.getMessage().contains("scheme://host"), e.getMessage());

    ConfigException env = assertThrows(ConfigException.class, () -> run(Map.of("BULLPEN_SERVER_PORT", "70000"),
        "config"));
    assertEquals("environment BULLPEN_SERVER_PORT: server.port: must be from 0 to 65535, was 70000",
        env.getMessage());
  }

  @Test
  void anUnknownCommandPrintsUsage() {
    String out = run("frobnicate");
    assertTrue(out.startsWith("2\n") && out.contains("usage:"), out);
  }
}
