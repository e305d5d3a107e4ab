package io.bullpen.cli.internal;

import io.bullpen.JobState;
import io.bullpen.redis.Queue;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The queue-wide commands: pause, resume, clean, drain, obliterate. */
public final class QueueControlCommands {
  private QueueControlCommands() {}

  /** A command on one existing queue. */
  public abstract static class OnQueue extends BaseCommand {
    @Parameters(index = "0", paramLabel = "QUEUE")
    String queue;

    Queue queue() {
      return session().existingQueue(queue);
    }
  }

  @Command(name = "pause", description = "Pause a queue: workers (Java and Node) take no new jobs; jobs stay in wait.")
  public static final class Pause extends OnQueue {
    @Override
    protected int run() {
      queue().pause();
      out().message("queue " + queue + " paused", Output.row("queue", queue, "paused", true));
      return ExitCodes.OK;
    }
  }

  @Command(name = "resume", description = "Resume a paused queue.")
  public static final class Resume extends OnQueue {
    @Override
    protected int run() {
      queue().resume();
      out().message("queue " + queue + " resumed", Output.row("queue", queue, "paused", false));
      return ExitCodes.OK;
    }
  }

  @Command(name = "clean", description = "Delete finished (or waiting, delayed...) jobs older than --grace, in "
      + "batches, with a progress bar; Ctrl-C stops after the batch in flight.")
  public static final class Clean extends OnQueue {
    @Option(names = {"-s", "--state"}, converter = JobsCommand.StateConverter.class, defaultValue = "completed",
        description = "completed (default), failed, waiting, prioritized, delayed, waiting-children")
    JobState state;

    @Option(names = "--grace", defaultValue = "0s", converter = DurationConverter.class,
        description = "keep jobs younger than this (e.g. 1h; default ${DEFAULT-VALUE})")
    Duration grace;

    @Option(names = "--limit", defaultValue = "0", description = "delete at most this many (0: all)")
    long limit;

    @Option(names = "--batch", defaultValue = "1000", description = "jobs per call (default ${DEFAULT-VALUE})")
    int batch;

    @Override
    protected int run() {
      Session s = session();
      if (batch < 1 || batch > 100_000) {
        throw new ExitCodes.CliFailure(ExitCodes.USAGE, "--batch must be 1 to 100000, was " + batch);
      }
      if (state == JobState.ACTIVE) {
        throw new ExitCodes.CliFailure(ExitCodes.USAGE, "active jobs belong to their workers and are not cleaned");
      }
      Queue q = queue();
      long total = q.getJobCounts(state).getOrDefault(state, 0L);
      long deleted = 0;
      try (Progress progress = new Progress("clean", limit > 0 ? Math.min(limit, total) : total, s.out().err(),
          s.interactive())) {
        while (!s.interrupts().requested()) {
          int want = (int) (limit > 0 ? Math.min(batch, limit - deleted) : batch);
          if (want <= 0) {
            break;
          }
          List<String> ids = q.clean(grace, want, state);
          deleted += ids.size();
          progress.advance(ids.size());
          if (ids.size() < want) {
            break;
          }
        }
      }
      boolean stopped = s.interrupts().requested();
      out().message((stopped ? "stopped after deleting " : "deleted ") + deleted + " " + state.wireName() + " jobs",
          Output.row("queue", queue, "state", state.wireName(), "deleted", deleted, "stopped", stopped));
      return stopped ? ExitCodes.INTERRUPTED : ExitCodes.OK;
    }
  }

  @Command(name = "drain", description = "Delete every job that has not started (wait, prioritized; --delayed too).")
  public static final class Drain extends OnQueue {
    @Option(names = "--delayed", description = "delayed jobs too")
    boolean delayed;

    @Override
    protected int run() {
      queue().drain(delayed);
      out().message("queue " + queue + " drained", Output.row("queue", queue, "drained", true));
      return ExitCodes.OK;
    }
  }

  @Command(name = "obliterate", description = "Delete the whole queue: every job and key. Asks for the queue's name "
      + "as confirmation unless --yes.")
  public static final class Obliterate extends OnQueue {
    @Option(names = {"-y", "--yes"}, description = "do not ask")
    boolean yes;

    @Option(names = "--force", description = "also when jobs are active")
    boolean force;

    @Override
    protected int run() throws IOException {
      Session s = session();
      Queue q = queue();
      if (!yes) {
        s.out().err().print("This deletes queue '" + queue + "' and all its jobs at " + s.redis().maskedUri()
            + ". Type the queue name to confirm: ");
        s.out().err().flush();
        String answer = new BufferedReader(new InputStreamReader(s.in(), StandardCharsets.UTF_8)).readLine();
        if (answer == null || !answer.strip().equals(queue)) {
          throw ExitCodes.refused("not confirmed; nothing deleted (use --yes in scripts)");
        }
      }
      try {
        q.obliterate(force);
      } catch (io.bullpen.JobStateException e) {
        throw ExitCodes.refused(e.getMessage() + " (--force deletes them too)");
      }
      out().message("queue " + queue + " obliterated", Output.row("queue", queue, "obliterated", true));
      return ExitCodes.OK;
    }
  }
}
