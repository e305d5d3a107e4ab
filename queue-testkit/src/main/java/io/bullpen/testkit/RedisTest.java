package io.bullpen.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that needs a real Redis: it gets {@link RedisExtension} (inject {@link RunningRedis}) and the
 * tag {@value #TAG}, which keeps it out of the fast {@code ./mvnw test} run and in the integration run of
 * {@code ./mvnw verify}.
 */
@Documented
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RedisExtension.class)
@Tag(RedisTest.TAG)
public @interface RedisTest {
  /** The JUnit tag of tests that need Redis (or Node with BullMQ). */
  String TAG = "redis";
}
