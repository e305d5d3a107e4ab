package io.bullpen;

/**
 * What a flow child's final failure does to its parent, one of BullMQ's four exclusive options; unset (null)
 * means BullMQ's default, the parent keeps waiting.
 */
enum ChildFailurePolicy {
  FAIL_PARENT("failParentOnFailure"),
  CONTINUE_PARENT("continueParentOnFailure"),
  IGNORE_DEPENDENCY("ignoreDependencyOnFailure"),
  REMOVE_DEPENDENCY("removeDependencyOnFailure");

  /** BullMQ's option name. */
  final String option;

  ChildFailurePolicy(String option) {
    this.option = option;
  }

  /**
   * The policy after setting {@code policy} to {@code enabled} over {@code current}: turning one on while another
   * is on is refused, turning one off clears it only if it is the one set.
   */
  static ChildFailurePolicy set(ChildFailurePolicy current, ChildFailurePolicy policy, boolean enabled) {
    if (!enabled) {
      return current == policy ? null : current;
    }
    if (current != null && current != policy) {
      throw new InvalidOptionException(policy.option, true, "cannot be combined with " + current.option
          + "=true: at most one of failParentOnFailure, continueParentOnFailure, ignoreDependencyOnFailure and "
          + "removeDependencyOnFailure may be set");
    }
    return policy;
  }
}
