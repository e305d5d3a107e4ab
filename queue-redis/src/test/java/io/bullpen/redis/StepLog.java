package io.bullpen.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The steps a {@link QueueStateMachine} really ran, with job ids, and the assertions that print them: a failed
 * comparison shows every step that led to it.
 */
final class StepLog {
  private final String queueName;
  private final QueueModel model;
  private final List<String> steps = new ArrayList<>();

  StepLog(String queueName, QueueModel model) {
    this.queueName = queueName;
    this.model = model;
  }

  void add(String step) {
    steps.add(step);
  }

  List<String> steps() {
    return steps;
  }

  void expect(String what, Object expected, Object actual) {
    check(Objects.equals(expected, actual), what + ": model expects " + expected + " but Redis has " + actual);
  }

  void check(boolean condition, String message) {
    if (!condition) {
      StringBuilder listing = new StringBuilder();
      for (int i = 0; i < steps.size(); i++) {
        listing.append("\n  ").append(i + 1).append(". ").append(steps.get(i));
      }
      throw new AssertionError(message + "\nqueue " + queueName + ", now=" + model.now + ", steps:" + listing);
    }
  }
}
