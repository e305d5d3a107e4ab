package io.bullpen.cli.internal;

import io.bullpen.IntegrityFinding;
import io.bullpen.IntegrityReport;
import io.bullpen.redis.Queue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code verify}: the integrity check of {@link io.bullpen.redis.QueueIntegrity}, a dry run by default; with
 * {@code --repair} the safe findings are repaired and the queue is checked again. Exit code 1 while findings remain.
 */
@Command(name = "verify", description = {"Check that a queue's keys are consistent (dry run: changes nothing).",
    "--repair fixes the findings that are safe to fix, then checks again."})
public final class VerifyCommand extends BaseCommand {
  @Parameters(arity = "0..*", paramLabel = "QUEUE", description = "queues to check (default: all under the prefix)")
  List<String> queues = new ArrayList<>();

  @Option(names = "--repair", description = "repair the safe findings (ids without hash, stray locks, orphan keys, "
      + "vanished children, dangling deduplication keys)")
  boolean repair;

  @Override
  protected int run() {
    Session s = session();
    List<String> names = queues.isEmpty() ? s.queueNames() : queues;
    List<Map<String, Object>> rows = new ArrayList<>();
    long jobs = 0;
    int repaired = 0;
    for (String name : names) {
      Queue q = s.existingQueue(name);
      IntegrityReport report = check(s, name, q);
      if (repair && !report.repairable().isEmpty()) {
        repaired += q.integrity().repair(report).size();
        report = check(s, name, q);
      }
      jobs += report.jobs();
      for (IntegrityFinding f : report.findings()) {
        rows.add(Output.row("queue", name, "kind", f.kind().name(), "job", f.jobId(), "repairable", f.repairable(),
            "detail", f.detail()));
      }
    }
    if (s.out().json()) {
      s.out().value(Output.row("queues", names.size(), "jobs", jobs, "repaired", repaired, "findings", rows));
    } else {
      if (!rows.isEmpty()) {
        s.out().table(rows);
      }
      long repairable = rows.stream().filter(r -> Boolean.TRUE.equals(r.get("repairable"))).count();
      // IntegrityReport.jobs() counts listed ids and job hashes: each sound job is counted twice.
      s.out().out().println(names.size() + " queue(s), " + jobs + " job ids and hashes checked: " + rows.size()
          + " finding(s)"
          + (repair ? ", " + repaired + " repaired" : repairable > 0 ? ", " + repairable
              + " repairable with --repair" : ""));
      s.out().out().flush();
    }
    return rows.isEmpty() ? ExitCodes.OK : ExitCodes.FINDINGS;
  }

  private static IntegrityReport check(Session s, String name, Queue q) {
    try (Progress progress = new Progress("verify " + name + " (keys)", 0, s.out().err(), s.interactive())) {
      return q.integrity().check(progress::advance);
    }
  }
}
