package io.bullpen.cli.internal;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Map;

/**
 * Where a run reads and writes: the process's streams and environment, or a test's.
 *
 * @param out results
 * @param err messages, progress, errors
 * @param in job data for {@code jobs add -} and confirmation answers
 * @param env environment variables (BULLPEN_…)
 */
public record Terminal(PrintWriter out, PrintWriter err, InputStream in, Map<String, String> env) {}
