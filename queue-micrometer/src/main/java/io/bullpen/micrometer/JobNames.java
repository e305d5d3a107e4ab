package io.bullpen.micrometer;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code name} tag of job meters, bounded: the first {@code limit} distinct job names are kept, later ones
 * are counted under {@value #OTHER}, so a producer that puts ids into job names cannot flood the registry.
 */
final class JobNames {
  static final String OTHER = "other";
  static final String OFF = "any";

  private final int limit;
  private final Set<String> seen = ConcurrentHashMap.newKeySet();

  /** @param limit distinct names kept; 0: the tag is always {@value #OFF} */
  JobNames(int limit) {
    this.limit = limit;
  }

  String tag(String name) {
    if (limit == 0) {
      return OFF;
    }
    String n = name == null ? "" : name;
    if (seen.contains(n)) {
      return n;
    }
    if (seen.size() < limit) {
      seen.add(n);
      // Racing adds may pass the limit by a few; the bound stays a bound.
      return n;
    }
    return OTHER;
  }
}
