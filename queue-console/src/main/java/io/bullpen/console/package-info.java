/**
 * The live terminal display of Bullpen's programs: {@link io.bullpen.console.ProgressLine} (done/total, rate, ETA),
 * {@link io.bullpen.console.StateCounts} (jobs per state) and {@link io.bullpen.console.LiveScreen}, which redraws a
 * frame of lines in place on a terminal. The {@code bullpen} CLI's progress bars and {@code watch} draw with it, and
 * so does the demo. No Redis, no picocli.
 */
package io.bullpen.console;
