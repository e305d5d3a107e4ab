package io.bullpen.testkit;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Finds programs the test kit runs ({@code openssl}, a system {@code redis-server}) without a shell. */
final class Executables {
  private Executables() {}

  /** {@code preferred} paths first, then {@code name} in each directory of {@code PATH}: every executable found. */
  static List<Path> find(String name, Path... preferred) {
    List<Path> found = new ArrayList<>();
    for (Path path : preferred) {
      addIfExecutable(found, path);
    }
    String pathVariable = System.getenv("PATH");
    if (pathVariable != null) {
      for (String dir : pathVariable.split(File.pathSeparator)) {
        if (!dir.isBlank()) {
          addIfExecutable(found, Path.of(dir, name));
        }
      }
    }
    return found;
  }

  /** The first of {@link #find}, if any. */
  static Optional<Path> first(String name, Path... preferred) {
    return find(name, preferred).stream().findFirst();
  }

  private static void addIfExecutable(List<Path> found, Path path) {
    Path absolute = path.toAbsolutePath().normalize();
    if (Files.isRegularFile(absolute) && Files.isExecutable(absolute) && !found.contains(absolute)) {
      found.add(absolute);
    }
  }
}
