package io.bullpen.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.InvalidOptionException;
import org.junit.jupiter.api.Test;

class RedisConfigTest {
  @Test
  void passwordsAreMaskedInEveryFormLettuceAccepts() {
    assertEquals("redis://:***@127.0.0.1:6379/0", RedisConfig.mask("redis://:secret@127.0.0.1:6379/0"));
    assertEquals("rediss://app:***@redis.example:6380", RedisConfig.mask("rediss://app:s3:cr3t@redis.example:6380"));
    assertEquals("redis://***@host", RedisConfig.mask("redis://secret@host"));
    assertEquals("redis://host:6379?timeout=5s&password=***", RedisConfig.mask("redis://host:6379?timeout=5s&password=x"));
    assertEquals("redis://127.0.0.1:6379", RedisConfig.mask("redis://127.0.0.1:6379"));
  }

  @Test
  void toStringAndBadUriErrorsNeverShowThePassword() {
    RedisConfig config = RedisConfig.of("redis://app:hunter2@127.0.0.1:6379");
    assertFalse(config.toString().contains("hunter2"), config.toString());
    assertEquals("redis://app:***@127.0.0.1:6379", config.maskedUri());
    assertEquals("redis://app:hunter2@127.0.0.1:6379", config.uri(), "the real URI is still there to connect with");
    InvalidOptionException e = assertThrows(InvalidOptionException.class,
        () -> RedisConfig.of("http://app:hunter2@127.0.0.1:6379"));
    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
  }

  @Test
  void aPortThatIsNoNumberIsRejectedAtOnceNamingTheUri() {
    InvalidOptionException e = assertThrows(InvalidOptionException.class,
        () -> RedisConfig.of("redis://app:hunter2@127.0.0.1:notaport/0"));
    assertEquals("uri", e.field());
    assertTrue(e.getMessage().contains("'notaport'"), e.getMessage());
    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    assertThrows(InvalidOptionException.class, () -> RedisConfig.of("redis://127.0.0.1:70000"));
    assertEquals("redis://[::1]:6379", RedisConfig.of("redis://[::1]:6379").uri());
    assertEquals("redis://127.0.0.1", RedisConfig.of("redis://127.0.0.1").uri());
    assertEquals("rediss://h:6380/2?timeout=5s", RedisConfig.of("rediss://h:6380/2?timeout=5s").uri());
  }
}
