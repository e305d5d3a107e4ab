package io.bullpen.cli.internal;

import io.bullpen.InvalidOptionException;
import io.bullpen.JobNotFoundException;
import io.bullpen.JobStateException;
import io.bullpen.QueueConnectionException;
import io.bullpen.config.ConfigException;

/** What the process exit status means (docs/cli.md lists them). */
public final class ExitCodes {
  /** Done. */
  public static final int OK = 0;
  /** A check found problems: {@code verify} findings, {@code migrate verify} differences. */
  public static final int FINDINGS = 1;
  /** Bad usage: an unknown command or option, a bad argument (picocli's own code). */
  public static final int USAGE = 2;
  /** The queue, job or scheduler named does not exist. */
  public static final int NOT_FOUND = 3;
  /** Redis could not be reached or did not answer in time. */
  public static final int UNAVAILABLE = 4;
  /** The configuration file or an environment override was refused. */
  public static final int CONFIG = 5;
  /** Refused: the job is not in a state that allows it, or a confirmation was declined. */
  public static final int REFUSED = 6;
  /** Stopped by Ctrl-C (SIGINT), after finishing the batch in flight. */
  public static final int INTERRUPTED = 130;

  private ExitCodes() {}

  /** The exit code of a failure. */
  public static int of(Throwable error) {
    if (error instanceof CliFailure f) {
      return f.exitCode();
    }
    if (error instanceof ConfigException) {
      return CONFIG;
    }
    if (error instanceof JobNotFoundException) {
      return NOT_FOUND;
    }
    if (error instanceof JobStateException) {
      return REFUSED;
    }
    if (error instanceof InvalidOptionException) {
      return USAGE;
    }
    if (error instanceof QueueConnectionException || error instanceof io.lettuce.core.RedisException) {
      return UNAVAILABLE;
    }
    return 1;
  }

  /** A failure the CLI reports with its own exit code and message. */
  public static final class CliFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    public CliFailure(int exitCode, String message) {
      super(message, null, false, false);
      this.exitCode = exitCode;
    }

    public int exitCode() {
      return exitCode;
    }
  }

  public static CliFailure notFound(String message) {
    return new CliFailure(NOT_FOUND, message);
  }

  public static CliFailure refused(String message) {
    return new CliFailure(REFUSED, message);
  }
}
