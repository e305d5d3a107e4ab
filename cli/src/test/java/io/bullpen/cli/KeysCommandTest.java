package io.bullpen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bullpen.cli.CliRun.Result;
import io.bullpen.server.ApiKey;
import io.bullpen.server.ApiKeys;
import io.bullpen.server.Scope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bullpen keys} writes the key file the server reads (through the server's own ApiKeys), and
 * {@code config check} refuses a {@code [server]} table the server would refuse. Neither needs Redis (the URI given
 * is never connected to).
 */
class KeysCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private final CliRun cli = new CliRun("redis://127.0.0.1:1");

  @Test
  void createsAKeyTheServerAcceptsListsItWithoutTheSecretAndRevokesIt() throws Exception {
    Path file = dir.resolve("keys.json");
    Result made = cli.run("--json", "keys", "create", "--key-file", file.toString(), "--name", "billing",
        "--scopes", "produce,read", "--queues", "invoices,refunds-*");
    assertEquals(0, made.exitCode(), made::toString);
    JsonNode created = JSON.readTree(made.out());
    String secret = created.get("key").asText();
    ApiKey key = ApiKeys.file(file).authenticate(secret).orElseThrow();
    assertEquals(Set.of(Scope.PRODUCE, Scope.READ), key.scopes());
    assertEquals(java.util.List.of("invoices", "refunds-*"), key.queuePatterns());
    assertFalse(Files.readString(file).contains(secret), "the file holds a hash, never the key");

    Result listed = cli.run("keys", "list", "--key-file", file.toString());
    assertEquals(0, listed.exitCode(), listed::toString);
    assertTrue(listed.out().lines().anyMatch(l -> l.startsWith(key.id()) && l.contains("billing")
        && l.contains("produce,read")), listed::toString);
    assertFalse(listed.out().contains(secret), listed::toString);

    Result revoked = cli.run("keys", "revoke", "--key-file", file.toString(), key.id());
    assertEquals(0, revoked.exitCode(), revoked::toString);
    assertTrue(ApiKeys.file(file).authenticate(secret).isEmpty());
    assertEquals(3, cli.run("keys", "revoke", "--key-file", file.toString(), key.id()).exitCode(),
        "revoking an unknown id is 'not found'");
  }

  @Test
  void theKeyFileDefaultsToTheServersKeyFileSetting() throws Exception {
    Path file = dir.resolve("server-keys.json");
    Path config = Files.writeString(dir.resolve("bullpen.toml"),
        "[server]\nkey_file = \"" + file.toString().replace("\\", "\\\\") + "\"\nport = 9000\n");
    Result made = cli.run("--config", config.toString(), "keys", "create", "--name", "ops", "--scopes", "admin");
    assertEquals(0, made.exitCode(), made::toString);
    assertTrue(made.out().contains("shown only this once: bp_"), made::toString);
    assertEquals(1, ApiKeys.file(file).list().size());
  }

  @Test
  void aBadScopeIsABadUsageNamingIt() {
    Result r = cli.run("keys", "create", "--key-file", dir.resolve("k.json").toString(), "--name", "x",
        "--scopes", "write");
    assertEquals(2, r.exitCode(), r::toString);
    assertTrue(r.err().contains("scope") && r.err().contains("write"), r::toString);
  }

  @Test
  void configCheckRefusesWhatTheServerWouldRefuseAtItsKeyAndLine() throws Exception {
    Path config = Files.writeString(dir.resolve("bullpen.toml"),
        "[server]\nport = 8080\ncors_origins = [\"ops.example.com\"]\n");
    Result r = cli.run("--config", config.toString(), "config", "check");
    assertEquals(5, r.exitCode(), r::toString);
    assertTrue(r.err().contains(config + " line 3: server.cors_origins:"), r::toString);

    Files.writeString(config, "[server]\nprot = 8080\n");
    Result typo = cli.run("--config", config.toString(), "config", "check");
    assertEquals(5, typo.exitCode(), typo::toString);
    assertTrue(typo.err().contains("server.prot: unknown key"), typo::toString);

    Result env = new CliRun("redis://127.0.0.1:1").env("BULLPEN_SERVER_MAX_BODY_BYTES", "10")
        .run("config", "check");
    assertEquals(5, env.exitCode(), env::toString);
    assertTrue(env.err().contains("environment BULLPEN_SERVER_MAX_BODY_BYTES: server.max_body_bytes"),
        env::toString);
  }
}
