package io.bullpen.cli;

import io.bullpen.cli.internal.ConfigCommand;
import io.bullpen.cli.internal.ExitCodes;
import io.bullpen.cli.internal.GlobalOptions;
import io.bullpen.cli.internal.Interrupts;
import io.bullpen.cli.internal.JobsCommand;
import io.bullpen.cli.internal.KeysCommand;
import io.bullpen.cli.internal.MigrateCommand;
import io.bullpen.cli.internal.QueueControlCommands;
import io.bullpen.cli.internal.QueuesCommand;
import io.bullpen.cli.internal.Root;
import io.bullpen.cli.internal.SchedulersCommand;
import io.bullpen.cli.internal.Session;
import io.bullpen.cli.internal.Terminal;
import io.bullpen.cli.internal.VerifyCommand;
import io.bullpen.cli.internal.WatchCommand;
import io.bullpen.redis.internal.codec.LibraryVersion;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The {@code bullpen} command. {@link #main} runs it as a process; {@link #run} runs it in-process on the given
 * streams and environment and returns the exit code (what the tests call).
 */
@Command(name = "bullpen", mixinStandardHelpOptions = true, versionProvider = Bullpen.Version.class,
    description = "Operate Bullpen (and BullMQ) queues on Redis.",
    subcommands = {ConfigCommand.class, QueuesCommand.class, JobsCommand.class, QueueControlCommands.Pause.class,
        QueueControlCommands.Resume.class, QueueControlCommands.Clean.class, QueueControlCommands.Drain.class,
        QueueControlCommands.Obliterate.class, SchedulersCommand.class, WatchCommand.class, VerifyCommand.class, MigrateCommand.class,
        KeysCommand.class,
        AutoComplete.GenerateCompletion.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:done", "1:a check found problems (verify, migrate verify)", "2:bad usage",
        "3:no such queue, job or scheduler", "4:Redis unreachable or too slow", "5:configuration refused",
        "6:refused (job state, confirmation declined)", "130:stopped by Ctrl-C"})
public final class Bullpen implements Root, Runnable {
  @Mixin
  GlobalOptions options = new GlobalOptions();

  private final Terminal terminal;
  private final Interrupts interrupts;
  private Session session;

  private Bullpen(Terminal terminal, Interrupts interrupts) {
    this.terminal = terminal;
    this.interrupts = interrupts;
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    Interrupts interrupts = Interrupts.install();
    int code;
    try {
      code = run(args, new Terminal(out, err, System.in, System.getenv()), interrupts);
    } finally {
      interrupts.settled();
    }
    System.exit(code);
  }

  /** Runs one command line in-process and returns its exit code. */
  public static int run(String[] args, PrintWriter out, PrintWriter err, InputStream in, Map<String, String> env) {
    return run(args, new Terminal(out, err, in, env), Interrupts.none());
  }

  static int run(String[] args, Terminal terminal, Interrupts interrupts) {
    Bullpen root = new Bullpen(terminal, interrupts);
    CommandLine cli = commandLine(root);
    cli.setOut(terminal.out()).setErr(terminal.err());
    try {
      return cli.execute(args);
    } finally {
      if (root.session != null) {
        root.session.close();
      }
    }
  }

  static CommandLine commandLine(Bullpen root) {
    CommandLine cli = new CommandLine(root);
    cli.setExecutionExceptionHandler((error, line, parsed) -> {
      String message = error.getMessage() == null ? error.toString() : error.getMessage();
      line.getErr().println("bullpen: " + message);
      line.getErr().flush();
      return ExitCodes.of(error);
    });
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    return cli;
  }

  @Override
  public Session session() {
    if (session == null) {
      session = new Session(options, terminal, interrupts);
    }
    return session;
  }

  @Override
  public void run() {
    new CommandLine(this).usage(terminal.out());
  }

  /** The version of the Bullpen jars. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"bullpen " + LibraryVersion.VERSION};
    }
  }
}
