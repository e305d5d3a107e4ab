package io.bullpen.cli.internal;

import io.bullpen.cli.internal.migrate.Migration;
import io.bullpen.cli.internal.migrate.Sides;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code migrate status|run|verify|rollback}: moving queues to another Redis deployment, prefix or hash tag. */
@Command(name = "migrate", description = "Copy queues to another Redis deployment, prefix or hash tag "
    + "(see docs/migration.md).",
    subcommands = {MigrateCommand.Status.class, MigrateCommand.Run.class, MigrateCommand.Verify.class,
        MigrateCommand.Rollback.class})
public final class MigrateCommand {
  private MigrateCommand() {}

  /** Which queues, from where, to where. */
  public abstract static class Base extends BaseCommand {
    @Option(names = "--to", required = true, paramLabel = "URI", description = "target Redis URI")
    String to;

    @Option(names = "--from", paramLabel = "URI", description = "source Redis URI (default: --redis / redis.uri)")
    String from;

    @Option(names = "--to-prefix", paramLabel = "PREFIX",
        description = "prefix on the target, e.g. {bull} for a cluster (default: the source's)")
    String toPrefix;

    static final class Which {
      @Option(names = {"-q", "--queue"}, required = true, paramLabel = "QUEUE", description = "a queue (repeatable)")
      List<String> queues;

      @Option(names = "--all", required = true, description = "every queue under the source prefix")
      boolean all;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    /** Opens both sides and runs {@code action} per queue. */
    int each(Action action) throws Exception {
      Session s = session();
      try (Sides sides = Sides.open(s.redis(), from, to)) {
        List<String> names = which.all ? Session.queueNames(sides.source().commands().sync(), s.prefix())
            : which.queues;
        int code = ExitCodes.OK;
        for (String name : names) {
          Migration m = sides.migration(s.prefix(), toPrefix != null ? toPrefix : s.prefix(), name,
              s.migration().batchSize(), Clock.systemUTC());
          code = Math.max(code, action.run(name, m));
          if (s.interrupts().requested()) {
            return ExitCodes.INTERRUPTED;
          }
        }
        return code;
      }
    }

    interface Action {
      int run(String queue, Migration migration) throws Exception;
    }
  }

  @Command(name = "status", description = "What exists on both sides, and how far a run got.")
  public static final class Status extends Base {
    @Override
    protected int run() throws Exception {
      List<Map<String, Object>> rows = new ArrayList<>();
      int code = each((queue, m) -> {
        rows.add(m.status());
        return ExitCodes.OK;
      });
      out().table(rows);
      return code;
    }
  }

  @Command(name = "run", description = {"Pause the source, wait for its active jobs, copy every key in batches.",
      "Resumable: run again after a crash or Ctrl-C and it continues from its last batch."})
  public static final class Run extends Base {
    @Option(names = "--active-wait", converter = DurationConverter.class,
        description = "how long to wait for active jobs (default: migration.active_wait, 30s)")
    Duration activeWait;

    @Option(names = "--requeue-active", description = "copy jobs still active after the wait back into wait on the "
        + "target, as the stalled check would (they may then run twice)")
    boolean requeueActive;

    @Override
    protected int run() throws Exception {
      Session s = session();
      Duration wait = activeWait != null ? activeWait : s.migration().activeWait();
      List<Map<String, Object>> rows = new ArrayList<>();
      int code = each((queue, m) -> {
        long copied;
        try (Progress progress = new Progress("migrate " + queue, 0, s.out().err(), s.interactive())) {
          copied = m.run(wait, requeueActive, s.interrupts(), progress);
        }
        rows.add(Output.row("queue", queue, "copied", copied, "stopped", s.interrupts().requested()));
        return s.interrupts().requested() ? ExitCodes.INTERRUPTED : ExitCodes.OK;
      });
      out().table(rows);
      return code;
    }
  }

  @Command(name = "verify", description = "Compare both sides key by key (per-job checksums); exit 1 on any "
      + "difference.")
  public static final class Verify extends Base {
    @Override
    protected int run() throws Exception {
      Session s = session();
      List<Map<String, Object>> rows = new ArrayList<>();
      int code = each((queue, m) -> {
        List<String> differences;
        try (Progress progress = new Progress("verify " + queue, 0, s.out().err(), s.interactive())) {
          differences = m.verify(progress);
        }
        for (String d : differences) {
          rows.add(Output.row("queue", queue, "difference", d));
        }
        return differences.isEmpty() ? ExitCodes.OK : ExitCodes.FINDINGS;
      });
      if (rows.isEmpty() && !s.out().json()) {
        s.out().out().println("no differences");
        s.out().out().flush();
      } else {
        out().table(rows);
      }
      return code;
    }
  }

  @Command(name = "rollback", description = "Delete what was copied to the target and resume the source.")
  public static final class Rollback extends Base {
    @Override
    protected int run() throws Exception {
      List<Map<String, Object>> rows = new ArrayList<>();
      int code = each((queue, m) -> {
        rows.add(Output.row("queue", queue, "deleted", m.rollback()));
        return ExitCodes.OK;
      });
      out().table(rows);
      return code;
    }
  }
}
