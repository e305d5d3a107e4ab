package io.bullpen.cli.internal;

/** The top command, which owns the run's {@link Session}. */
public interface Root {
  /** The session, opened on first use (so {@code --help} needs neither a config nor Redis). */
  Session session();
}
