package io.bullpen.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.examples.Snippets.Block;
import io.bullpen.examples.Snippets.MarkdownFile;
import io.bullpen.examples.Snippets.Region;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The snippet checker itself, on made-up files: it must catch what DocSnippetsTest relies on it to catch. */
class SnippetsTest {
  private static final String SOURCE = """
      class Demo {
        void run() {
          // region outer
          int a = 1;
          // region inner
          if (a > 0) {
            a++;
          }
          // endregion
          // endregion
        }
      }
      """;

  @TempDir
  Path root;

  private Path sources() throws IOException {
    Path dir = Files.createDirectories(root.resolve("examples/src/main/java/demo"));
    Files.writeString(dir.resolve("Demo.java"), SOURCE);
    return root.resolve("examples");
  }

  private Block onlyBlock(String markdown) throws IOException {
    Path doc = Files.writeString(root.resolve("README.md"), markdown);
    List<Block> blocks = Snippets.markdown(doc).blocks();
    assertEquals(1, blocks.size());
    return blocks.get(0);
  }

  @Test
  void regionsAreDedentedAndNestedMarkersLeftOut() throws IOException {
    Map<String, Region> regions = Snippets.regions(sources().resolve("src/main/java/demo/Demo.java"));

    assertEquals(List.of("int a = 1;", "if (a > 0) {", "  a++;", "}"), regions.get("outer").lines());
    assertEquals(List.of("if (a > 0) {", "  a++;", "}"), regions.get("inner").lines());
    assertEquals(4, regions.get("outer").firstLine());
  }

  @Test
  void aBlockEqualToItsRegionPasses() throws IOException {
    Path sources = sources();
    Block block = onlyBlock("""
        Text.

        <!-- snippet: Demo#inner -->
        ```java
        if (a > 0) {
          a++;
        }
        ```
        """);

    assertEquals(Optional.empty(), Snippets.mismatch(block, sources, root));
  }

  @Test
  void aChangedLineIsReportedWithFileRegionAndLine() throws IOException {
    Path sources = sources();
    Block block = onlyBlock("""
        <!-- snippet: Demo#inner -->
        ```java
        if (a > 1) {
          a++;
        }
        ```
        """);

    String message = Snippets.mismatch(block, sources, root).orElseThrow();

    assertTrue(message.startsWith("README.md:2: block differs from region Demo#inner"), message);
    assertTrue(message.contains("examples/src/main/java/demo/Demo.java:6-8"), message);
    assertTrue(message.contains("at line 3"), message);
    assertTrue(message.contains("doc:    if (a > 1) {"), message);
    assertTrue(message.contains("region: if (a > 0) {"), message);
  }

  @Test
  void aMissingOrExtraLineIsAMismatch() throws IOException {
    Path sources = sources();
    Block shorter = onlyBlock("<!-- snippet: Demo#inner -->\n```java\nif (a > 0) {\n  a++;\n```\n");

    assertTrue(Snippets.mismatch(shorter, sources, root).orElseThrow().contains("doc:    <block ends>"));
  }

  @Test
  void aMarkerNamingAMissingRegionOrFileFails() throws IOException {
    Path sources = sources();
    Block noRegion = onlyBlock("<!-- snippet: Demo#nope -->\n```java\nx\n```\n");
    Block noFile = onlyBlock("<!-- snippet: Nowhere#inner -->\n```java\nx\n```\n");

    assertTrue(Snippets.mismatch(noRegion, sources, root).orElseThrow().contains("has no region nope"));
    assertTrue(Snippets.mismatch(noFile, sources, root).orElseThrow().contains("names a file not found"));
  }

  @Test
  void aMarkerNotRightAboveABlockIsAProblemAndTheBlockCountsAsUnmarked() throws IOException {
    Path doc = Files.writeString(root.resolve("README.md"), "<!-- snippet: Demo#inner -->\n\n```java\nx\n```\n");

    MarkdownFile file = Snippets.markdown(doc);

    assertEquals(1, file.problems().size(), file.problems().toString());
    assertEquals(Optional.empty(), file.blocks().get(0).marker());
  }

  @Test
  void unbalancedRegionsAreRefused() throws IOException {
    Path file = Files.writeString(root.resolve("Bad.java"), "// region a\nint x;\n");

    assertThrows(IllegalStateException.class, () -> Snippets.regions(file));
  }
}
