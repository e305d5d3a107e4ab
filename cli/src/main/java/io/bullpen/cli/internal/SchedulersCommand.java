package io.bullpen.cli.internal;

import io.bullpen.Job;
import io.bullpen.JobSpec;
import io.bullpen.redis.JobScheduler;
import io.bullpen.redis.JobSchedulers;
import io.bullpen.redis.RawJson;
import io.bullpen.scheduler.Repeat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code schedulers list|upsert|remove|trigger}: job schedulers, stored as BullMQ 6 stores them. */
@Command(name = "schedulers", description = "List, create or replace, remove and trigger job schedulers.",
    subcommands = {SchedulersCommand.ListSchedulers.class, SchedulersCommand.Upsert.class,
        SchedulersCommand.Remove.class, SchedulersCommand.Trigger.class})
public final class SchedulersCommand {
  private SchedulersCommand() {}

  public abstract static class OnSchedulers extends QueueControlCommands.OnQueue {
    JobSchedulers schedulers() {
      return queue().schedulers();
    }
  }

  /** A command on one scheduler: QUEUE ID. */
  public abstract static class OnScheduler extends OnSchedulers {
    @Parameters(index = "1", paramLabel = "ID")
    String id;

    RuntimeException missing() {
      return ExitCodes.notFound("no scheduler '" + id + "' in queue '" + queue + "'");
    }
  }

  @Command(name = "list", description = "Every scheduler of a queue, soonest first.")
  public static final class ListSchedulers extends OnSchedulers {
    @Override
    protected int run() {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (JobScheduler s : schedulers().list()) {
        rows.add(Output.row("id", s.id(), "name", s.name(),
            "schedule", s.pattern().map(p -> "cron " + p + s.tz().map(z -> " " + z).orElse(""))
                .orElseGet(() -> "every " + s.every().orElse(0) + "ms"),
            "next", s.next().toString(), "runs", s.iterationCount(),
            "limit", s.limit().isPresent() ? s.limit().getAsInt() : null));
      }
      out().table(rows);
      return ExitCodes.OK;
    }
  }

  @Command(name = "upsert", description = "Create a scheduler, or replace the one with this id.")
  public static final class Upsert extends BaseCommand {
    @Parameters(index = "0", paramLabel = "QUEUE")
    String queue;

    @Parameters(index = "1", paramLabel = "ID")
    String id;

    static final class Schedule {
      @Option(names = "--cron", paramLabel = "PATTERN", required = true,
          description = "cron pattern, 5 or 6 fields (with seconds)")
      String cron;

      @Option(names = "--every", paramLabel = "DURATION", required = true, converter = DurationConverter.class,
          description = "fixed interval, e.g. 5m")
      Duration every;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Schedule schedule;

    @Option(names = "--tz", description = "time zone of the cron pattern, e.g. Europe/Berlin")
    String tz;

    @Option(names = "--limit", description = "at most this many runs")
    Integer limit;

    @Option(names = "--name", required = true, description = "name of the jobs it creates")
    String name;

    @Option(names = {"-d", "--data"}, defaultValue = "{}", description = "data of the jobs it creates (JSON)")
    String data;

    @Option(names = {"-o", "--opts"}, description = "options of the jobs it creates (BullMQ's keys)")
    String opts;

    @Override
    protected int run() {
      Repeat.Builder repeat = schedule.cron != null ? Repeat.cron(schedule.cron) : Repeat.every(schedule.every);
      if (tz != null) {
        repeat.tz(tz);
      }
      if (limit != null) {
        repeat.limit(limit);
      }
      Job first = session().queue(queue).schedulers().upsert(id, repeat.build(),
          JobSpec.of(name, RawJson.of(data), JobsCommand.options(opts)));
      out().message("scheduler " + id + " saved; next run: job " + first.id(),
          Output.row("id", id, "nextJob", first.id()));
      return ExitCodes.OK;
    }
  }

  @Command(name = "remove", description = "Remove a scheduler and its pending run.")
  public static final class Remove extends OnScheduler {
    @Override
    protected int run() {
      if (!schedulers().remove(id)) {
        throw missing();
      }
      out().message("scheduler " + id + " removed", Output.row("id", id, "removed", true));
      return ExitCodes.OK;
    }
  }

  @Command(name = "trigger", description = "Run a scheduler once now; its schedule is unchanged.")
  public static final class Trigger extends OnScheduler {
    @Override
    protected int run() {
      Optional<Job> job = schedulers().trigger(id);
      Job run = job.orElseThrow(this::missing);
      out().message("scheduler " + id + " triggered: job " + run.id(), Output.row("id", id, "job", run.id()));
      return ExitCodes.OK;
    }
  }
}
