package io.bullpen.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bullpen.JobState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The demo's live display, one frame as text. */
class DemoFrameTest {
  @Test
  void aFrameShowsTheBarTheRateTheCountsPerStateAndTheRunsOwnFigures() {
    List<String> frame = Demo.frame(48, 120, 2_000_000_000L, Map.of(JobState.WAITING, 50L, JobState.ACTIVE, 8L,
        JobState.DELAYED, 4L, JobState.COMPLETED, 46L, JobState.FAILED, 2L), 5, "job 25: image photo-25.jpg is corrupt");
    assertEquals(List.of(
        "jobs [############..................]  40% 48/120 24/s ETA 3s",
        "  waiting 50 · delayed 4 · active 8 · completed 46 · failed 2 · retried 5",
        "  last failure: job 25: image photo-25.jpg is corrupt"), frame);
  }
}
