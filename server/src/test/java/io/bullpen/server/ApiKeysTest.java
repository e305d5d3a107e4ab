package io.bullpen.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.InvalidOptionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key store: keys shown once, stored only hashed, revocable, shared through the file by several processes. */
class ApiKeysTest {
  @TempDir
  Path dir;

  @Test
  void aCreatedKeyAuthenticatesAndTheFileHoldsOnlyItsHash() throws Exception {
    Path file = dir.resolve("keys.json");
    ApiKeys keys = ApiKeys.file(file);
    CreatedApiKey made = keys.create("billing", EnumSet.of(Scope.PRODUCE), List.of("invoices"));
    assertTrue(made.secret().startsWith("bp_" + made.key().id() + "_"));
    assertEquals(made.key(), keys.authenticate(made.secret()).orElseThrow());

    String stored = Files.readString(file);
    assertFalse(stored.contains(made.secret().substring(20)), stored);
    assertTrue(stored.contains(made.key().id()));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertFalse(made.toString().contains(made.secret()));
  }

  @Test
  void wrongMalformedAndRevokedKeysDoNotAuthenticate() {
    ApiKeys keys = ApiKeys.inMemory();
    CreatedApiKey made = keys.create("ops", EnumSet.of(Scope.ADMIN), List.of("*"));
    String other = made.secret().substring(0, made.secret().length() - 1)
        + (made.secret().endsWith("A") ? "B" : "A");
    assertTrue(keys.authenticate(other).isEmpty());
    assertTrue(keys.authenticate("").isEmpty());
    assertTrue(keys.authenticate(null).isEmpty());
    assertTrue(keys.authenticate("bp_" + made.key().id()).isEmpty());
    assertTrue(keys.revoke(made.key().id()));
    assertFalse(keys.revoke(made.key().id()));
    assertTrue(keys.authenticate(made.secret()).isEmpty());
  }

  @Test
  void anotherProcessesRevocationIsSeenThroughTheFile() throws Exception {
    Path file = dir.resolve("shared.json");
    ApiKeys server = ApiKeys.file(file);
    ApiKeys cli = ApiKeys.file(file);
    CreatedApiKey made = cli.create("remote", EnumSet.of(Scope.READ), List.of("*"));
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (server.authenticate(made.secret()).isEmpty()) {
      assertTrue(System.nanoTime() < deadline, "the server never saw the new key");
    }
    cli.revoke(made.key().id());
    while (server.authenticate(made.secret()).isPresent()) {
      assertTrue(System.nanoTime() < deadline, "the server never saw the revocation");
    }
    assertEquals(List.of(), server.list());
  }

  @Test
  void scopesAndQueuePatternsDecideWhatAKeyCovers() {
    ApiKey key = ApiKeys.inMemory().create("mail reader", Set.of(Scope.READ), List.of("mail-*", "audit")).key();
    assertTrue(key.grants(Scope.READ));
    assertFalse(key.grants(Scope.PRODUCE));
    assertTrue(key.coversQueue("mail-eu"));
    assertTrue(key.coversQueue("audit"));
    assertFalse(key.coversQueue("audit2"));
    assertFalse(key.coversQueue("billing"));
    ApiKey admin = ApiKeys.inMemory().create("root", Set.of(Scope.ADMIN), List.of("*")).key();
    assertTrue(admin.grants(Scope.WORK));
    assertTrue(admin.coversQueue("anything"));
  }

  @Test
  void badKeyDescriptionsAreRefusedNamingTheField() {
    ApiKeys keys = ApiKeys.inMemory();
    assertEquals("name", assertThrows(InvalidOptionException.class,
        () -> keys.create(" ", Set.of(Scope.READ), List.of("*"))).field());
    assertEquals("scopes", assertThrows(InvalidOptionException.class,
        () -> keys.create("x", Set.of(), List.of("*"))).field());
    assertEquals("queuePatterns", assertThrows(InvalidOptionException.class,
        () -> keys.create("x", Set.of(Scope.READ), List.of("a b"))).field());
    assertEquals("scope", assertThrows(InvalidOptionException.class, () -> Scope.parse("write")).field());
  }
}
