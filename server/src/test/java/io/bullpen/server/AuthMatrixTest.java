package io.bullpen.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who may call what: no key or a wrong one is 401, a key without the scope or the queue 403, and each scope opens
 * exactly its routes. Refusals are logged without the key text.
 */
@RedisTest
class AuthMatrixTest {
  private static TestServer t;
  private static final String MAIL = "/api/v1/queues/mail";

  @BeforeAll
  static void start(RunningRedis redis) {
    t = new TestServer(redis, b -> b.queues("mail", "billing"));
    t.queue("mail").add("seed", Map.of());
  }

  @AfterAll
  static void stop() {
    t.close();
  }

  /** One request of each scope's kind, on queue mail. */
  private static Map<Scope, java.util.function.Function<Http, Http.Response>> requests() {
    return Map.of(
        Scope.READ, h -> h.get(MAIL + "/jobs?state=waiting"),
        Scope.PRODUCE, h -> h.post(MAIL + "/jobs", Map.of("name", "x")),
        Scope.WORK, h -> h.post(MAIL + "/leases/claim", Map.of("owner", "auth-test", "max", 1)),
        Scope.ADMIN, h -> h.post(MAIL + "/resume", ""));
  }

  @Test
  void eachScopeOpensItsOwnRoutesOnly() {
    for (Scope granted : Scope.values()) {
      Http http = t.http.as(t.key(EnumSet.of(granted), "*"));
      requests().forEach((needed, call) -> {
        Http.Response r = call.apply(http);
        boolean allowed = granted == needed || granted == Scope.ADMIN;
        if (allowed) {
          assertTrue(r.status() < 300, granted + " key on a " + needed + " route: " + r);
        } else {
          assertEquals(403, r.status(), granted + " key on a " + needed + " route: " + r);
          assertEquals("forbidden", r.errorCode());
        }
      });
    }
  }

  @Test
  void aKeyLimitedToSomeQueuesIsRefusedTheOthers() {
    Http billingOnly = t.http.as(t.key(EnumSet.of(Scope.READ), "bill*"));
    assertEquals(200, billingOnly.get("/api/v1/queues/billing").status());
    Http.Response refused = billingOnly.get(MAIL);
    assertEquals(403, refused.status(), refused.toString());
    assertTrue(refused.json().path("error").path("message").asText().contains("mail"));
    List<String> listed = billingOnly.get("/api/v1/queues").json().findValuesAsText("name");
    assertEquals(List.of("billing"), listed);
  }

  @Test
  void missingWrongAndRevokedKeysAre401() {
    assertEquals(401, t.http.as(null).get(MAIL).status());
    assertEquals("unauthorized", t.http.as(null).get(MAIL).errorCode());
    assertEquals(401, t.http.as("not-a-key").get(MAIL).status());
    CreatedApiKey made = t.keys.create("soon revoked", Set.of(Scope.READ), List.of("*"));
    String forged = made.secret().substring(0, made.secret().length() - 2)
        + (made.secret().endsWith("AA") ? "BB" : "AA");
    assertEquals(401, t.http.as(forged).get(MAIL).status(), "same id, other secret");
    assertEquals(200, t.http.as(made.secret()).get(MAIL).status());
    assertTrue(t.keys.revoke(made.key().id()));
    assertEquals(401, t.http.as(made.secret()).get(MAIL).status());
  }

  @Test
  void theBearerHeaderWorksLikeXApiKey() {
    Http.Response r = t.http.as(null).send(t.http.as(null).builder(MAIL).header("Authorization", "Bearer " + t.adminKey)
        .GET());
    assertEquals(200, r.status(), r.toString());
  }

  @Test
  void theOpenApiDocumentNeedsNoKey() {
    assertEquals(200, t.http.as(null).get("/api/v1/openapi.json").status());
  }

  @Test
  void refusalsAreLoggedWithoutTheKey() {
    String readKey = t.key(EnumSet.of(Scope.READ), "*");
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      t.http.as(readKey).post(MAIL + "/pause", "");
      t.http.as(readKey + "x").get(MAIL);
    } finally {
      System.setErr(original);
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    assertTrue(log.contains("403 POST " + MAIL + "/pause"), log);
    assertTrue(log.contains("401 GET " + MAIL), log);
    assertFalse(log.contains(readKey.substring(20)), "the secret part of the key must not be logged: " + log);
  }
}
