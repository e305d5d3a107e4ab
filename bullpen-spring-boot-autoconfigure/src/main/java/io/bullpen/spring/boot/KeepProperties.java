package io.bullpen.spring.boot;

import io.bullpen.KeepJobs;
import java.time.Duration;

/**
 * Which finished jobs to keep ({@code remove-on-complete} / {@code remove-on-fail}): the newest {@code count}, and
 * with {@code age} none older than that. Neither set: the setting is not applied.
 */
public class KeepProperties {
  /** Newest finished jobs to keep (0: remove each job when it finishes). */
  private Long count;

  /** Remove finished jobs older than this (whole seconds). */
  private Duration age;

  public Long getCount() {
    return count;
  }

  public void setCount(Long count) {
    this.count = count;
  }

  public Duration getAge() {
    return age;
  }

  public void setAge(Duration age) {
    this.age = age;
  }

  /** Whether count or age is set. */
  boolean isSet() {
    return count != null || age != null;
  }

  /** The policy; call only when {@link #isSet()}. */
  KeepJobs toKeepJobs() {
    if (age == null) {
      return KeepJobs.newest(count);
    }
    return KeepJobs.maxAge(age.toSeconds(), count == null ? -1 : count);
  }
}
