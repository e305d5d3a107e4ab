package io.bullpen.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag(RedisTest.TAG)
class RedisProcessAclTest {
  private static final String SECRET = "p@ss:w/rd%1";

  private RedisClient client;

  @BeforeEach
  void client() {
    client = RedisClient.create();
  }

  @AfterEach
  void shutdown() {
    client.shutdown();
  }

  @Test
  void anAclUserRunsWhatItsRulesAllowAndNothingElse() {
    try (RedisProcess redis = RedisProcess.builder().aclUser("app", SECRET, "~app:*", "+@all", "-flushall").start();
        StatefulRedisConnection<String, String> connection = client.connect(RedisURI.create(redis.uri("app")))) {
      RedisCommands<String, String> app = connection.sync();
      assertEquals("app", app.aclWhoami());
      assertEquals("OK", app.set("app:1", "mine"));
      assertEquals("mine", app.get("app:1"));
      assertNoPerm(() -> app.set("other:1", "theirs"));
      assertNoPerm(app::flushall);
    }
  }

  @Test
  void aWrongPasswordIsRefusedWithWrongpass() {
    try (RedisProcess redis = RedisProcess.builder().aclUser("app", SECRET, "+@all").start()) {
      String wrong = redis.uri("app").replace("%251@", "%252@");
      RedisConnectionException refused =
          assertThrows(RedisConnectionException.class, () -> client.connect(RedisURI.create(wrong)).close());
      assertTrue(messages(refused).contains("WRONGPASS"), messages(refused));
    }
  }

  @Test
  void aServerWhoseDefaultUserIsOffStillStartsAndRefusesAnonymousClients() throws Exception {
    try (RedisProcess redis = RedisProcess.builder()
        .arg("user", "default", "off")
        .aclUser("admin", SECRET, "~*", "&*", "+@all")
        .start();
        StatefulRedisConnection<String, String> admin = client.connect(RedisURI.create(redis.uri("admin")))) {
      assertEquals("PONG", admin.sync().ping());
      assertTrue(Resp.command(redis.host(), redis.port(), "PING").startsWith("-NOAUTH"));
    }
  }

  @Test
  void passwordsStayOutOfToStringAndMessages() {
    try (RedisProcess redis = RedisProcess.builder().aclUser("app", SECRET, "+@all").start()) {
      assertFalse(redis.toString().contains(SECRET), redis.toString());
      assertFalse(redis.uri().contains(SECRET), redis.uri());
      IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> redis.uri("nobody"));
      assertFalse(unknown.getMessage().contains(SECRET), unknown.getMessage());
    }
    IllegalArgumentException spaced = assertThrows(IllegalArgumentException.class,
        () -> RedisProcess.builder().aclUser("app", "two words", "+@all"));
    assertFalse(spaced.getMessage().contains("two words"), spaced.getMessage());
    assertThrows(IllegalArgumentException.class, () -> RedisProcess.builder().aclUser("app", "", "+@all"));
  }

  private static void assertNoPerm(Runnable command) {
    RedisCommandExecutionException refused = assertThrows(RedisCommandExecutionException.class, command::run);
    assertTrue(refused.getMessage().startsWith("NOPERM"), refused.getMessage());
  }

  private static String messages(Throwable error) {
    StringBuilder all = new StringBuilder();
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      all.append(cause.getMessage()).append(" / ");
    }
    return all.toString();
  }
}
