package io.bullpen.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@link RedisTest} class or method that cannot run against the shared Redis Cluster
 * ({@code BULLPEN_TEST_TOPOLOGY=cluster}): {@link RedisExtension} skips it there, reporting {@link #value()}. Keep
 * it for what is inherently about one server (restarting it, TLS, ACL, Sentinel, a topology of the test's own);
 * everything else must pass on both.
 */
@Documented
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface StandaloneOnly {
  /** Why this cannot run on the cluster, shown as the skip reason. */
  String value();
}
