package io.bullpen.redis;

import java.util.List;

/** Lets tests in other packages use {@link GlobalLimitsTest}'s window check. */
public final class GlobalLimitsTestAccess {
  private GlobalLimitsTestAccess() {}

  public static void assertAtMostPerWindow(List<Long> starts, int max, long windowMillis, String what) {
    GlobalLimitsTest.assertAtMostPerWindow(starts, max, windowMillis, what);
  }
}
