package io.bullpen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The flow parts of the job options and the small flow value types. */
class FlowOptionsTest {

  @Test
  void atMostOneFailurePolicyMayBeSet() {
    JobOptions fpof = JobOptions.builder().failParentOnFailure(true).build();
    assertTrue(fpof.failParentOnFailure());
    assertFalse(fpof.continueParentOnFailure() || fpof.ignoreDependencyOnFailure() || fpof.removeDependencyOnFailure());

    InvalidOptionException e = assertThrows(InvalidOptionException.class,
        () -> JobOptions.builder().ignoreDependencyOnFailure(true).removeDependencyOnFailure(true));
    assertEquals("removeDependencyOnFailure", e.field());
    assertTrue(e.getMessage().contains("ignoreDependencyOnFailure"), e.getMessage());

    JobOptions switched = JobOptions.builder().continueParentOnFailure(true).continueParentOnFailure(false)
        .removeDependencyOnFailure(true).build();
    assertTrue(switched.removeDependencyOnFailure());
    assertFalse(switched.continueParentOnFailure());
    assertFalse(JobOptions.builder().failParentOnFailure(false).build().failParentOnFailure());
  }

  @Test
  void parentAndPolicyTakePartInDefaultsEqualityAndToString() {
    JobOptions child = JobOptions.builder().parent("bull:books", "b1").failParentOnFailure(true).build();
    assertEquals(child, child.toBuilder().build());
    assertEquals(child.hashCode(), child.toBuilder().build().hashCode());
    assertEquals("JobOptions{parent=bull:books:b1, failParentOnFailure=true}", child.toString());
    assertFalse(child.equals(JobOptions.builder().parent("bull:books", "b1").build()));

    JobOptions merged = JobOptions.builder().attempts(2).build().withDefaults(child);
    assertEquals(new JobParent("b1", "bull:books"), merged.parent().orElseThrow());
    assertTrue(merged.failParentOnFailure());
    JobOptions own = JobOptions.builder().ignoreDependencyOnFailure(true).build().withDefaults(child);
    assertTrue(own.ignoreDependencyOnFailure());
    assertFalse(own.failParentOnFailure(), "a job's own policy replaces the default one");
  }

  @Test
  void aParentNamesItsIdAndQualifiedQueue() {
    JobParent parent = JobParent.of("bull", "books", "42");
    assertEquals("bull:books", parent.queue());
    assertEquals("bull:books:42", parent.key());
    assertEquals("parent.queue", assertThrows(InvalidOptionException.class,
        () -> new JobParent("1", "books")).field());
    assertEquals("parent.queue", assertThrows(InvalidOptionException.class,
        () -> new JobParent("1", "bull:a:b")).field());
    assertEquals("parent.id", assertThrows(InvalidOptionException.class,
        () -> new JobParent("", "bull:books")).field());
  }

  @Test
  void dependencyPagesValidateAndReadOnlyWhatTheyName() {
    DependencyPage all = DependencyPage.firstOfEach(50);
    assertEquals(50, all.count());
    assertEquals(0L, all.processed().getAsLong());
    assertEquals(0L, all.ignored().getAsLong());
    DependencyPage some = DependencyPage.builder().pending(7).build();
    assertTrue(some.processed().isEmpty());
    assertEquals(7L, some.pending().getAsLong());
    assertEquals(10, some.count());
    assertEquals("count", assertThrows(InvalidOptionException.class,
        () -> DependencyPage.builder().count(0)).field());
    assertEquals("failed", assertThrows(InvalidOptionException.class,
        () -> DependencyPage.builder().failed(-1)).field());
  }

  @Test
  void dependencyValuesAreImmutableCopies() {
    java.util.HashMap<String, String> processed = new java.util.HashMap<>(Map.of("bull:q:1", "1"));
    JobDependencies deps = new JobDependencies(processed, List.of("bull:q:2"), List.of(), Map.of(), null);
    processed.clear();
    assertEquals(Map.of("bull:q:1", "1"), deps.processed());
    assertTrue(deps.nextPage().isEmpty());
    assertThrows(UnsupportedOperationException.class, () -> deps.pending().add("x"));
    assertEquals(10, new DependencyCounts(1, 2, 3, 4).total());
  }
}
