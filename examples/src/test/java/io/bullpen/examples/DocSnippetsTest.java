package io.bullpen.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.bullpen.examples.Snippets.Block;
import io.bullpen.examples.Snippets.Marker;
import io.bullpen.examples.Snippets.Region;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * README.md and docs/*.md quote the examples: every code block marked {@code <!-- snippet: File#region -->} must
 * be an exact copy of that region. A Java block without a marker is reported as a skipped test ("not quoted from
 * an example yet"), so the count of unquoted blocks shows in every build. No Redis needed.
 */
class DocSnippetsTest {
  private static final Path ROOT = repositoryRoot();
  private static final Path EXAMPLES = ROOT.resolve("examples");
  /** The Spring Boot sample, a module of its own so that the examples above stay free of Spring Boot. */
  private static final Path BOOT_EXAMPLES = ROOT.resolve("examples-spring-boot");

  @TestFactory
  Stream<DynamicTest> everyMarkedBlockEqualsItsRegion() {
    List<DynamicTest> tests = new ArrayList<>();
    List<String> unmarked = new ArrayList<>();
    for (Path doc : docs()) {
      for (Block block : Snippets.markdown(doc).blocks()) {
        String where = block.where(ROOT);
        if (block.marker().isPresent()) {
          tests.add(dynamicTest(where + " quotes " + block.marker().get(),
              () -> Snippets.mismatch(block, sourcesOf(block), ROOT).ifPresent(message -> fail(message))));
        } else if (block.language().equals("java")) {
          unmarked.add(where);
          tests.add(dynamicTest(where + " has no snippet marker",
              () -> abort("java block not quoted from an example yet: " + where)));
        }
      }
    }
    System.out.println(unmarked.size() + " java blocks in README.md and docs/ are not quoted from an example yet: "
        + unmarked);
    return tests.stream();
  }

  @Test
  void everyMarkerStandsRightAboveACodeBlock() {
    List<String> problems = docs().stream().flatMap(doc -> Snippets.markdown(doc).problems().stream()).toList();
    assertEquals(List.of(), problems);
  }

  /** A region nobody quotes is a marker that documents nothing; quote it or drop it. */
  @Test
  void everyRegionIsQuotedSomewhere() {
    Set<String> quoted = new HashSet<>();
    for (Path doc : docs()) {
      Snippets.markdown(doc).blocks().forEach(block -> block.marker().map(Marker::toString).ifPresent(quoted::add));
    }
    List<String> unquoted = new ArrayList<>();
    for (Path source : exampleSources()) {
      String file = source.getFileName().toString().replaceFirst("\\.java$", "");
      for (Region region : Snippets.regions(source).values()) {
        if (!quoted.contains(file + "#" + region.name())) {
          unquoted.add(ROOT.relativize(source) + ":" + region.firstLine() + " " + file + "#" + region.name());
        }
      }
    }
    assertEquals(List.of(), unquoted, "regions no README.md or docs/*.md block quotes");
  }

  /** The examples module holding the file {@code block} quotes: examples, else the Spring Boot sample. */
  private static Path sourcesOf(Block block) {
    String file = block.marker().orElseThrow().file();
    return Snippets.find(EXAMPLES, file).isEmpty() && Snippets.find(BOOT_EXAMPLES, file).isPresent() ? BOOT_EXAMPLES
        : EXAMPLES;
  }

  /** README.md, then docs/*.md in name order. */
  static List<Path> docs() {
    List<Path> docs = new ArrayList<>();
    docs.add(ROOT.resolve("README.md"));
    docs.addAll(list(ROOT.resolve("docs"), ".md"));
    return docs;
  }

  private static List<Path> exampleSources() {
    List<Path> sources = new ArrayList<>();
    for (Path module : List.of(EXAMPLES, BOOT_EXAMPLES)) {
      try (Stream<Path> files = Files.walk(module.resolve("src/main/java"))) {
        files.filter(path -> path.toString().endsWith(".java")).sorted().forEach(sources::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    sources.addAll(list(EXAMPLES.resolve("node"), ".mjs"));
    return sources;
  }

  private static List<Path> list(Path dir, String suffix) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(path -> path.getFileName().toString().endsWith(suffix)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The directory holding README.md, docs/ and examples/, found by walking up from the working directory. */
  static Path repositoryRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("docs"))
          && Files.isRegularFile(dir.resolve("examples/pom.xml"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
  }
}
