package io.bullpen;

/**
 * How many children of a parent job are in each condition: completed ({@code processed}), still to settle
 * ({@code pending}), failed with {@code failParentOnFailure} ({@code failed}), and failed but let through by
 * {@code ignoreDependencyOnFailure} or {@code continueParentOnFailure} ({@code ignored}).
 */
public record DependencyCounts(long processed, long pending, long failed, long ignored) {
  /** Children in any condition. */
  public long total() {
    return processed + pending + failed + ignored;
  }
}
