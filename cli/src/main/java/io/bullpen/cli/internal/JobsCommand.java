package io.bullpen.cli.internal;

import io.bullpen.Job;
import io.bullpen.JobOptions;
import io.bullpen.JobSpec;
import io.bullpen.JobState;
import io.bullpen.redis.Queue;
import io.bullpen.redis.RawJson;
import io.bullpen.redis.internal.codec.OptionsCodec;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jobs list|show|add|retry|promote|remove|cancel}. */
@Command(name = "jobs", description = "List, show, add and act on jobs.",
    subcommands = {JobsCommand.ListJobs.class, JobsCommand.Show.class, JobsCommand.Add.class, JobsCommand.Retry.class,
        JobsCommand.Promote.class, JobsCommand.Remove.class, JobsCommand.Cancel.class})
public final class JobsCommand {
  private JobsCommand() {}

  /** Reads states as BullMQ names them ({@code waiting-children}) or as the enum does. */
  public static final class StateConverter implements ITypeConverter<JobState> {
    @Override
    public JobState convert(String value) {
      String v = value.trim().toLowerCase(Locale.ROOT);
      for (JobState s : JobState.values()) {
        if (s != JobState.UNKNOWN && (s.name().toLowerCase(Locale.ROOT).equals(v.replace('-', '_'))
            || v.equals("wait") && s == JobState.WAITING)) {
          return s;
        }
      }
      throw new picocli.CommandLine.TypeConversionException("unknown state '" + value + "'; states: waiting, "
          + "prioritized, delayed, active, waiting-children, completed, failed");
    }
  }

  static String stateName(JobState state) {
    return state.wireName();
  }

  static Map<String, Object> summary(Job job, JobState state) {
    return Output.row("id", job.id(), "name", job.name(), "state", stateName(state), "attempts", job.attemptsMade(),
        "created", Times.iso(job.timestamp()), "processed", job.processedOn().isPresent()
            ? Times.iso(job.processedOn().getAsLong()) : null,
        "finished", job.finishedOn().isPresent() ? Times.iso(job.finishedOn().getAsLong()) : null);
  }

  /** A command on one job: QUEUE ID. */
  public abstract static class OnJob extends QueueControlCommands.OnQueue {
    @Parameters(index = "1", paramLabel = "ID")
    String id;
  }

  /** A command on one job or, with --all, on every job it applies to: QUEUE [ID] [--all]. */
  public abstract static class OnJobOrAll extends QueueControlCommands.OnQueue {
    @Parameters(index = "1", arity = "0..1", paramLabel = "ID")
    String id;

    @Option(names = "--all", description = "every job it applies to")
    boolean all;

    void requireIdOrAll() {
      if (all == (id != null)) {
        throw new ExitCodes.CliFailure(ExitCodes.USAGE, "give a job ID or --all");
      }
    }
  }

  @Command(name = "list", description = "List jobs by state, newest first, one page at a time.")
  public static final class ListJobs extends BaseCommand {
    @Parameters(index = "0", paramLabel = "QUEUE")
    String queue;

    @Option(names = {"-s", "--state"}, split = ",", converter = StateConverter.class, paramLabel = "STATE",
        description = "states to list (default: all); waiting, prioritized, delayed, active, waiting-children, "
            + "completed, failed")
    List<JobState> states = new ArrayList<>();

    @Option(names = "--page", defaultValue = "1", description = "page number, from 1 (default ${DEFAULT-VALUE})")
    int page;

    @Option(names = "--page-size", description = "jobs per page of each state (default: cli.page_size)")
    Integer pageSize;

    @Option(names = "--oldest-first", description = "oldest first instead of newest first")
    boolean ascending;

    @Override
    protected int run() {
      Session s = session();
      if (page < 1) {
        throw new ExitCodes.CliFailure(ExitCodes.USAGE, "--page must be 1 or more, was " + page);
      }
      int size = pageSize != null ? pageSize : s.cli().pageSize();
      if (size < 1) {
        throw new ExitCodes.CliFailure(ExitCodes.USAGE, "--page-size must be 1 or more, was " + size);
      }
      Queue q = s.existingQueue(queue);
      Set<JobState> wanted = states.isEmpty() ? new LinkedHashSet<>(QueuesCommand.STATES)
          : new LinkedHashSet<>(states);
      long start = (long) (page - 1) * size;
      List<Map<String, Object>> rows = new ArrayList<>();
      for (JobState state : wanted) {
        for (Job job : q.getJobs(EnumSet.of(state), start, start + size - 1, ascending)) {
          rows.add(summary(job, state));
        }
      }
      out().table(rows);
      return ExitCodes.OK;
    }
  }

  @Command(name = "show", description = "Show one job: its fields, data, result, errors and logs.")
  public static final class Show extends OnJob {
    @Override
    protected int run() {
      Queue q = queue();
      Job job = job(session(), queue, id);
      Map<String, Object> fields = summary(job, job.state());
      fields.put("priority", job.priority());
      fields.put("delay", job.delay());
      fields.put("progress", Output.parsed(job.progressJson()));
      fields.put("data", Output.parsed(job.dataJson()));
      fields.put("options", Output.parsed(job.optionsJson()));
      fields.put("returnvalue", job.returnValueJson().map(Output::parsed).orElse(null));
      fields.put("failedReason", job.failedReason().orElse(null));
      fields.put("stacktrace", job.stacktrace().isEmpty() ? null : job.stacktrace());
      fields.put("parent", job.parentKey().orElse(null));
      fields.put("processedBy", job.processedBy().orElse(null));
      fields.put("logs", q.getJobLogs(id).lines());
      out().record(fields);
      return ExitCodes.OK;
    }
  }

  @Command(name = "add", description = {"Add a job, or many with --bulk.",
      "Data is JSON: --data '{\"a\":1}', --data @file.json, or --data - for stdin.",
      "Options use BullMQ's stored keys: --opts '{\"attempts\":3,\"delay\":1000,\"jobId\":\"x\"}'.",
      "--bulk FILE|- reads one job per line: {\"name\":...,\"data\":...,\"opts\":{...}}."})
  public static final class Add extends BaseCommand {
    @Parameters(index = "0", paramLabel = "QUEUE")
    String queue;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "job name (not with --bulk)")
    String name;

    @Option(names = {"-d", "--data"}, paramLabel = "JSON|@FILE|-", description = "job data (default {})")
    String data;

    @Option(names = {"-o", "--opts"}, paramLabel = "JSON", description = "job options, BullMQ's keys")
    String opts;

    @Option(names = "--bulk", paramLabel = "FILE|-", description = "add one job per line of JSON (NDJSON)")
    String bulk;

    @Option(names = "--chunk", defaultValue = "1000", description = "jobs per addBulk call (default ${DEFAULT-VALUE})")
    int chunk;

    @Override
    protected int run() throws Exception {
      Session s = session();
      Queue q = s.queue(queue);
      if (bulk != null) {
        if (name != null || data != null || opts != null) {
          throw new ExitCodes.CliFailure(ExitCodes.USAGE, "--bulk takes its names, data and options from the lines");
        }
        return addBulk(s, q);
      }
      if (name == null) {
        throw new ExitCodes.CliFailure(ExitCodes.USAGE, "a job NAME is required (or --bulk)");
      }
      Job job = q.add(name, RawJson.of(readData(s)), options(opts));
      s.out().message("added job " + job.id() + " to " + queue, Output.row("id", job.id(), "queue", queue));
      return ExitCodes.OK;
    }

    private String readData(Session s) throws Exception {
      if (data == null) {
        return "{}";
      }
      if (data.equals("-")) {
        return new String(s.in().readAllBytes(), StandardCharsets.UTF_8).strip();
      }
      if (data.startsWith("@")) {
        return Files.readString(Path.of(data.substring(1))).strip();
      }
      return data;
    }

    private int addBulk(Session s, Queue q) throws Exception {
      if (chunk < 1 || chunk > 100_000) {
        throw new ExitCodes.CliFailure(ExitCodes.USAGE, "--chunk must be 1 to 100000, was " + chunk);
      }
      long total = bulk.equals("-") ? 0 : Files.lines(Path.of(bulk)).filter(l -> !l.isBlank()).count();
      int added = 0;
      try (Reader source = bulk.equals("-") ? new InputStreamReader(s.in(), StandardCharsets.UTF_8)
              : Files.newBufferedReader(Path.of(bulk));
          BufferedReader lines = new BufferedReader(source);
          Progress progress = new Progress("add", total, s.out().err(), s.interactive())) {
        List<JobSpec> batch = new ArrayList<>();
        String line;
        int number = 0;
        while ((line = lines.readLine()) != null) {
          number++;
          if (line.isBlank()) {
            continue;
          }
          batch.add(spec(line, number));
          if (batch.size() == chunk) {
            added += flush(q, batch, progress);
            if (s.interrupts().requested()) {
              break;
            }
          }
        }
        added += flush(q, batch, progress);
      }
      boolean stopped = s.interrupts().requested();
      s.out().message((stopped ? "stopped after adding " : "added ") + added + " jobs to " + queue,
          Output.row("added", added, "queue", queue, "stopped", stopped));
      return stopped ? ExitCodes.INTERRUPTED : ExitCodes.OK;
    }

    private static int flush(Queue q, List<JobSpec> batch, Progress progress) {
      if (batch.isEmpty()) {
        return 0;
      }
      int n = q.addBulk(batch).size();
      progress.advance(n);
      batch.clear();
      return n;
    }

    private static JobSpec spec(String line, int number) {
      com.fasterxml.jackson.databind.JsonNode node;
      try {
        node = Output.JSON.readTree(line);
      } catch (Exception e) {
        throw new ExitCodes.CliFailure(ExitCodes.USAGE, "line " + number + " is not JSON: " + e.getMessage());
      }
      if (node == null || !node.isObject() || !node.path("name").isTextual()) {
        throw new ExitCodes.CliFailure(ExitCodes.USAGE, "line " + number + " needs an object with a \"name\"");
      }
      String data = node.has("data") ? node.get("data").toString() : "{}";
      String opts = node.has("opts") ? node.get("opts").toString() : null;
      return JobSpec.of(node.get("name").textValue(), RawJson.of(data), options(opts));
    }
  }

  static JobOptions options(String json) {
    if (json == null) {
      return JobOptions.builder().build();
    }
    try {
      return OptionsCodec.fromJson(json);
    } catch (RuntimeException e) {
      throw new ExitCodes.CliFailure(ExitCodes.USAGE, "--opts: " + e.getMessage());
    }
  }

  /** The job {@code id} of {@code queue}, which must exist. */
  static Job job(Session s, String queue, String id) {
    return s.existingQueue(queue).getJob(id)
        .orElseThrow(() -> ExitCodes.notFound("no job '" + id + "' in queue '" + queue + "'"));
  }

  @Command(name = "retry", description = "Move a failed (or completed) job back to wait; --all: every failed job.")
  public static final class Retry extends OnJobOrAll {
    @Option(names = "--state", converter = StateConverter.class, defaultValue = "failed",
        description = "with --all: failed or completed")
    JobState state;

    @Override
    protected int run() {
      Session s = session();
      requireIdOrAll();
      if (all) {
        long moved = queue().retryJobs(state, 1000, System.currentTimeMillis());
        s.out().message("retried " + moved + " " + stateName(state) + " jobs", Output.row("retried", moved));
      } else {
        job(s, queue, id).retry();
        s.out().message("job " + id + " moved to wait", Output.row("id", id, "retried", true));
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "promote", description = "Move a delayed job to wait now; --all: every delayed job.")
  public static final class Promote extends OnJobOrAll {
    @Override
    protected int run() {
      Session s = session();
      requireIdOrAll();
      if (all) {
        long moved = queue().promoteJobs(1000);
        s.out().message("promoted " + moved + " delayed jobs", Output.row("promoted", moved));
      } else {
        queue().promote(id);
        s.out().message("job " + id + " promoted", Output.row("id", id, "promoted", true));
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "remove", description = "Remove a job (not an active one) with its logs and dependencies.")
  public static final class Remove extends OnJob {
    @Override
    protected int run() {
      Session s = session();
      job(s, queue, id);
      if (!queue().remove(id)) {
        throw ExitCodes.refused("job " + id + " was not removed: it is active (locked by a worker) or the current "
            + "run of a job scheduler");
      }
      s.out().message("job " + id + " removed", Output.row("id", id, "removed", true));
      return ExitCodes.OK;
    }
  }

  @Command(name = "cancel", description = "Cancel a job: a running one is told to stop, and fails without retry.")
  public static final class Cancel extends OnJob {
    @Option(names = "--reason", defaultValue = "cancelled from the bullpen CLI", description = "failed reason")
    String reason;

    @Override
    protected int run() {
      Session s = session();
      job(s, queue, id);
      boolean cancelled = queue().cancelJob(id, reason);
      if (!cancelled) {
        throw ExitCodes.refused("job " + id + " was not cancelled: it has finished already");
      }
      s.out().message("job " + id + " cancelled", Output.row("id", id, "cancelled", true));
      return ExitCodes.OK;
    }
  }
}
