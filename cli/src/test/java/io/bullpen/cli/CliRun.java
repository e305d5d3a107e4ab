package io.bullpen.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs {@code bullpen} in-process against one Redis, capturing its output and exit code. */
final class CliRun {
  /** What one command did. */
  record Result(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
    }
  }

  private final String redisUri;
  private final Map<String, String> env = new HashMap<>();
  private String stdin = "";

  CliRun(String redisUri) {
    this.redisUri = redisUri;
  }

  CliRun env(String name, String value) {
    env.put(name, value);
    return this;
  }

  CliRun stdin(String text) {
    this.stdin = text;
    return this;
  }

  Result run(String... args) {
    List<String> all = new ArrayList<>();
    all.add("--redis=" + redisUri);
    all.addAll(List.of(args));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Bullpen.run(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true),
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), env);
    stdin = "";
    return new Result(code, out.toString(), err.toString());
  }
}
