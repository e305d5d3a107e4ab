package io.bullpen.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Regions of example files and the fenced code blocks of Markdown files that quote them.
 *
 * <p>A region is marked in source with {@code // region <name>} and {@code // endregion}; regions may nest, and the
 * marker lines of inner regions are left out of the outer region's text. Its text is dedented (the indentation
 * common to its non-blank lines removed). A Markdown block quotes one when the line right above its opening fence
 * is {@code <!-- snippet: <File>#<name> -->}, where {@code File} is a file name under the examples module
 * ({@code .java} assumed when it has no extension). Lines are compared without trailing whitespace.
 */
final class Snippets {
  private static final Pattern REGION = Pattern.compile("^\\s*//\\s*region\\s+(\\S+)\\s*$");
  private static final Pattern END_REGION = Pattern.compile("^\\s*//\\s*endregion\\b.*$");
  private static final Pattern MARKER = Pattern.compile("^\\s*<!--\\s*snippet:\\s*([^#\\s]+)#(\\S+)\\s*-->\\s*$");
  private static final Pattern FENCE = Pattern.compile("^\\s*```\\s*(\\S*)\\s*$");

  /** A region of a source file; lines are 1-based and exclude the marker lines. */
  record Region(Path file, String name, int firstLine, int lastLine, List<String> lines) {}

  /** Where a block says it comes from: {@code file#region}. */
  record Marker(String file, String region) {
    @Override
    public String toString() {
      return file + "#" + region;
    }
  }

  /** A fenced code block; {@code line} is the line of its opening fence (1-based). */
  record Block(Path doc, int line, String language, List<String> lines, Optional<Marker> marker) {
    String where(Path root) {
      return root.relativize(doc) + ":" + line;
    }
  }

  /** The blocks of a Markdown file, and what is wrong with its markers (a marker with no block under it). */
  record MarkdownFile(List<Block> blocks, List<String> problems) {}

  private Snippets() {}

  /** The regions of {@code file} by name. */
  static Map<String, Region> regions(Path file) {
    List<String> lines = read(file);
    Map<String, Region> regions = new LinkedHashMap<>();
    Deque<Open> open = new ArrayDeque<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      Matcher start = REGION.matcher(line);
      if (start.matches()) {
        open.push(new Open(start.group(1), i + 1, new ArrayList<>()));
      } else if (END_REGION.matcher(line).matches()) {
        if (open.isEmpty()) {
          throw new IllegalStateException(file + ":" + (i + 1) + ": endregion without region");
        }
        Open done = open.pop();
        Region region = new Region(file, done.name, done.line + 1, i, dedent(done.lines));
        if (regions.putIfAbsent(done.name, region) != null) {
          throw new IllegalStateException(file + ":" + done.line + ": region " + done.name + " defined twice");
        }
      } else {
        for (Open region : open) {
          region.lines.add(line);
        }
      }
    }
    if (!open.isEmpty()) {
      throw new IllegalStateException(file + ":" + open.peek().line + ": region " + open.peek().name
          + " has no endregion");
    }
    return regions;
  }

  /** The fenced blocks of a Markdown file, with their markers. */
  static MarkdownFile markdown(Path doc) {
    List<String> lines = read(doc);
    List<Block> blocks = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Marker pending = null;
    int pendingLine = 0;
    for (int i = 0; i < lines.size(); i++) {
      Matcher marker = MARKER.matcher(lines.get(i));
      Matcher fence = FENCE.matcher(lines.get(i));
      if (marker.matches()) {
        if (pending != null) {
          problems.add(doc + ":" + pendingLine + ": marker " + pending + " is not right above a code block");
        }
        pending = new Marker(marker.group(1), marker.group(2));
        pendingLine = i + 1;
      } else if (fence.matches()) {
        int open = i;
        List<String> body = new ArrayList<>();
        for (i++; i < lines.size() && !FENCE.matcher(lines.get(i)).matches(); i++) {
          body.add(lines.get(i));
        }
        if (i == lines.size()) {
          problems.add(doc + ":" + (open + 1) + ": code block is never closed");
        }
        boolean quoted = pending != null && pendingLine == open;
        if (pending != null && !quoted) {
          problems.add(doc + ":" + pendingLine + ": marker " + pending + " is not right above a code block");
        }
        blocks.add(new Block(doc, open + 1, fence.group(1), body, quoted ? Optional.of(pending) : Optional.empty()));
        pending = null;
      } else if (pending != null) {
        problems.add(doc + ":" + pendingLine + ": marker " + pending + " is not right above a code block");
        pending = null;
      }
    }
    if (pending != null) {
      problems.add(doc + ":" + pendingLine + ": marker " + pending + " is not right above a code block");
    }
    return new MarkdownFile(blocks, problems);
  }

  /**
   * Why {@code block} does not match the region it names, or empty when it matches.
   *
   * @param sources where to find the files markers name (the examples module)
   * @param root the repository root, for the paths in messages
   */
  static Optional<String> mismatch(Block block, Path sources, Path root) {
    Marker marker = block.marker().orElseThrow();
    Optional<Path> file = find(sources, marker.file());
    if (file.isEmpty()) {
      return Optional.of(block.where(root) + ": marker " + marker + " names a file not found under "
          + root.relativize(sources));
    }
    Region region = regions(file.get()).get(marker.region());
    if (region == null) {
      return Optional.of(block.where(root) + ": marker " + marker + ": " + root.relativize(file.get())
          + " has no region " + marker.region() + " (its regions: " + regions(file.get()).keySet() + ")");
    }
    List<String> expected = stripTrailing(region.lines());
    List<String> actual = stripTrailing(block.lines());
    if (expected.equals(actual)) {
      return Optional.empty();
    }
    int at = 0;
    while (at < expected.size() && at < actual.size() && expected.get(at).equals(actual.get(at))) {
      at++;
    }
    return Optional.of(block.where(root) + ": block differs from region " + marker + " ("
        + root.relativize(file.get()) + ":" + region.firstLine() + "-" + region.lastLine() + ") at line "
        + (block.line() + 1 + at) + ":\n  doc:    " + (at < actual.size() ? actual.get(at) : "<block ends>")
        + "\n  region: " + (at < expected.size() ? expected.get(at) : "<region ends>")
        + "\nThe block should read:\n" + String.join("\n", expected));
  }

  /**
   * The file named {@code name} ({@code name.java} when {@code name} has no dot) in {@code sources/src} or directly
   * in {@code sources/node}.
   */
  static Optional<Path> find(Path sources, String name) {
    String fileName = name.contains(".") ? name : name + ".java";
    List<Path> found = new ArrayList<>();
    try {
      if (Files.isDirectory(sources.resolve("src"))) {
        try (Stream<Path> files = Files.walk(sources.resolve("src"))) {
          files.filter(path -> path.getFileName().toString().equals(fileName)).forEach(found::add);
        }
      }
      if (Files.isRegularFile(sources.resolve("node").resolve(fileName))) {
        found.add(sources.resolve("node").resolve(fileName));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (found.size() > 1) {
      throw new IllegalStateException("several files named " + fileName + " under " + sources + ": " + found);
    }
    return found.stream().findFirst();
  }

  /** Removes the indentation common to the non-blank lines, and trailing whitespace. */
  static List<String> dedent(List<String> lines) {
    int indent = lines.stream()
        .filter(line -> !line.isBlank())
        .mapToInt(line -> line.length() - line.stripLeading().length())
        .min()
        .orElse(0);
    return lines.stream().map(line -> line.isBlank() ? "" : line.substring(indent).stripTrailing()).toList();
  }

  private static List<String> stripTrailing(List<String> lines) {
    return lines.stream().map(String::stripTrailing).toList();
  }

  private static List<String> read(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private record Open(String name, int line, List<String> lines) {}
}
