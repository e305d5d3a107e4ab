package io.bullpen;

import java.util.OptionalLong;

/**
 * Which part of a parent's children {@link Job#getDependencies(DependencyPage)} reads: for each kind
 * (processed, pending, failed, ignored) either nothing or a page starting at a cursor. Cursors start at 0 and
 * come back from {@link JobDependencies#nextPage()}; {@code count} is how many entries to read per kind (for the
 * hash and set kinds Redis treats it as a hint, so a page may hold a few more or fewer).
 *
 * <pre>{@code
 * for (DependencyPage page = DependencyPage.firstOfEach(100); page != null; ) {
 *   JobDependencies deps = job.getDependencies(page);
 *   deps.processed().forEach((childKey, json) -> ...);
 *   page = deps.nextPage().orElse(null);
 * }
 * }</pre>
 */
public final class DependencyPage {
  private final Long processed;
  private final Long pending;
  private final Long failed;
  private final Long ignored;
  private final int count;

  private DependencyPage(Builder b) {
    this.processed = b.processed;
    this.pending = b.pending;
    this.failed = b.failed;
    this.ignored = b.ignored;
    this.count = b.count;
  }

  /** The first {@code count} entries of every kind. */
  public static DependencyPage firstOfEach(int count) {
    return builder().count(count).processed(0).pending(0).failed(0).ignored(0).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The cursor of the processed (completed) children to read from, or empty to skip them. */
  public OptionalLong processed() {
    return optional(processed);
  }

  /** The cursor of the pending children to read from, or empty to skip them. */
  public OptionalLong pending() {
    return optional(pending);
  }

  /** The cursor of the failed ({@code failParentOnFailure}) children to read from, or empty to skip them. */
  public OptionalLong failed() {
    return optional(failed);
  }

  /** The cursor of the ignored failures to read from, or empty to skip them. */
  public OptionalLong ignored() {
    return optional(ignored);
  }

  /** Entries to read per kind. */
  public int count() {
    return count;
  }

  private static OptionalLong optional(Long value) {
    return value == null ? OptionalLong.empty() : OptionalLong.of(value);
  }

  @Override
  public String toString() {
    return "DependencyPage{processed=" + processed + ", pending=" + pending + ", failed=" + failed + ", ignored="
        + ignored + ", count=" + count + "}";
  }

  /** Builds a {@link DependencyPage}; kinds not given are not read. */
  public static final class Builder {
    private Long processed;
    private Long pending;
    private Long failed;
    private Long ignored;
    private int count = 10;

    private Builder() {}

    public Builder processed(long cursor) {
      this.processed = cursor("processed", cursor);
      return this;
    }

    public Builder pending(long cursor) {
      this.pending = cursor("pending", cursor);
      return this;
    }

    public Builder failed(long cursor) {
      this.failed = cursor("failed", cursor);
      return this;
    }

    public Builder ignored(long cursor) {
      this.ignored = cursor("ignored", cursor);
      return this;
    }

    /** Entries per kind, 10 by default. */
    public Builder count(int count) {
      if (count <= 0) {
        throw new InvalidOptionException("count", count, "must be > 0");
      }
      this.count = count;
      return this;
    }

    public DependencyPage build() {
      return new DependencyPage(this);
    }

    private static long cursor(String kind, long cursor) {
      if (cursor < 0) {
        throw new InvalidOptionException(kind, cursor, "a cursor must be >= 0 (0 starts at the beginning)");
      }
      return cursor;
    }
  }
}
