package io.bullpen.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bullpen.JobState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The frames of the live display, as text: no terminal, no Redis. */
class LiveDisplayTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void aProgressLineShowsTheBarTheCountTheRateAndTheEta() {
    assertEquals("copy [#########.....................]  30% 300/1000 100/s ETA 7s",
        ProgressLine.render("copy", 300, 1000, 3 * SECOND));
    assertEquals("copy [##############################] 100% 1000/1000 250/s in 4.0s",
        ProgressLine.render("copy", 1000, 1000, 4 * SECOND));
    assertEquals("scan 4200 2100/s in 2.0s", ProgressLine.render("scan", 4200, 0, 2 * SECOND),
        "no total known: the count and the rate only");
    assertEquals("3m20s", ProgressLine.duration(200));
    assertEquals("2h5m", ProgressLine.duration(7500));
  }

  @Test
  void countsShowEveryStateWithJobsAndAlwaysTheFinishedOnes() {
    assertEquals("waiting 12 · active 8 · completed 0 · failed 0",
        StateCounts.render(Map.of(JobState.WAITING, 12L, JobState.ACTIVE, 8L, JobState.DELAYED, 0L)));
    assertEquals("prioritized 1 · delayed 3 · completed 240 · failed 2", StateCounts.render(Map.of(
        JobState.PRIORITIZED, 1L, JobState.DELAYED, 3L, JobState.COMPLETED, 240L, JobState.FAILED, 2L)));
  }

  @Test
  void onATerminalEachFrameIsDrawnOverThePreviousOne() {
    StringWriter text = new StringWriter();
    LiveScreen screen = new LiveScreen(new PrintWriter(text), true);
    assertEquals("\r\u001b[Ja\u001b[K\nb\u001b[K", screen.frame(List.of("a", "b")));
    assertEquals("\r\u001b[1A\u001b[Jc\u001b[K\nd\u001b[K\ne\u001b[K", screen.frame(List.of("c", "d", "e")),
        "back up to the first line of the two shown, erase, draw");
    assertEquals("\r\u001b[2A\u001b[Jf\u001b[K", screen.frame(List.of("f")), "a shorter frame leaves nothing below");
    screen.show(List.of("g"));
    screen.close();
    assertEquals("\r\u001b[Jg\u001b[K\n", text.toString(), "close ends the last frame's line");
  }

  @Test
  void elsewhereEveryFrameIsAppendedAsPlainLines() {
    StringWriter text = new StringWriter();
    try (LiveScreen screen = new LiveScreen(new PrintWriter(text), false)) {
      screen.show(List.of("a", "b"));
      screen.show(List.of("c"));
    }
    assertEquals("a\nb\nc\n", text.toString());
  }
}
