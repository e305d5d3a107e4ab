package io.bullpen;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parent job's children, by the full Redis key of each child ({@code <prefix>:<queue>:<id>}): completed ones
 * with their return value as JSON text ({@code processed}), the ones still to settle ({@code pending}), those
 * that failed with {@code failParentOnFailure} ({@code failed}), and failures let through by
 * {@code ignoreDependencyOnFailure} or {@code continueParentOnFailure} with their failed reason
 * ({@code ignored}).
 *
 * @param nextPage where to continue, when this was one page and some requested kind has more
 */
public record JobDependencies(Map<String, String> processed, List<String> pending, List<String> failed,
    Map<String, String> ignored, Optional<DependencyPage> nextPage) {
  public JobDependencies {
    processed = Map.copyOf(processed);
    pending = List.copyOf(pending);
    failed = List.copyOf(failed);
    ignored = Map.copyOf(ignored);
    nextPage = nextPage == null ? Optional.empty() : nextPage;
  }
}
