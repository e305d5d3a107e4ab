package io.bullpen.cli.internal;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that runs against the session of the top command; returns its exit code. */
public abstract class BaseCommand implements Callable<Integer> {
  @Spec
  protected CommandSpec spec;

  protected Session session() {
    return ((Root) spec.root().userObject()).session();
  }

  protected Output out() {
    return session().out();
  }

  @Override
  public final Integer call() throws Exception {
    return run();
  }

  /** Does the command's work; returns the exit code ({@link ExitCodes}). */
  protected abstract int run() throws Exception;
}
