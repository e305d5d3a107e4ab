package io.bullpen.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code bom/pom.xml} manages every published module of the parent pom, at the parent's version. No Redis. */
class BomTest {
  /** Modules of the parent pom that are not published: they have no place in the BOM. */
  private static final Set<String> NOT_PUBLISHED = Set.of("bom", "demo", "benchmarks", "examples",
      "examples-spring-boot");

  private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
  private static final Pattern MANAGED = Pattern.compile(
      "<dependency>\\s*<groupId>io\\.bullpen</groupId>\\s*<artifactId>([^<]+)</artifactId>\\s*"
          + "<version>\\$\\{project\\.version}</version>\\s*</dependency>");

  @Test
  void theBomManagesEveryPublishedModuleAtTheParentsVersion() throws IOException {
    Path root = DocSnippetsTest.repositoryRoot();
    String parent = Files.readString(root.resolve("pom.xml"));
    String bom = Files.readString(root.resolve("bom/pom.xml"));

    Set<String> published = new TreeSet<>(all(MODULE, parent));
    published.removeAll(NOT_PUBLISHED);
    assertEquals(published, new TreeSet<>(all(MANAGED, bom)), "io.bullpen artifacts managed by bom/pom.xml");
    assertEquals(ownVersion(parent), ownVersion(bom), "bom/pom.xml has no parent, so its version is written out");
  }

  private static List<String> all(Pattern pattern, String text) {
    List<String> found = new ArrayList<>();
    Matcher matcher = pattern.matcher(text);
    while (matcher.find()) {
      found.add(matcher.group(1));
    }
    return found;
  }

  /** The project's own version: the first {@code <version>} outside {@code <parent>}. */
  private static String ownVersion(String pom) {
    String withoutParent = pom.replaceAll("(?s)<parent>.*?</parent>", "");
    Matcher matcher = Pattern.compile("<version>([^<]+)</version>").matcher(withoutParent);
    if (!matcher.find()) {
      throw new IllegalStateException("no <version> in pom");
    }
    return matcher.group(1);
  }
}
