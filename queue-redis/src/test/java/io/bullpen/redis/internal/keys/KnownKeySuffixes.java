package io.bullpen.redis.internal.keys;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Every key suffix of a queue, found rather than listed: the keys {@link QueueKeys} builds (by reflection over
 * its methods) and the keys the Lua scripts build by appending a literal to a key prefix. A key added later is
 * found without touching this class; a new key method taking an argument must say here what it takes.
 */
public final class KnownKeySuffixes {
  public static final QueueKeys KEYS = new QueueKeys("bull", "q");
  /** A Lua string literal appended to a key prefix: {@code prefix .. "meta"}, {@code keyPrefix .. "de:"}. */
  private static final Pattern LUA_SUFFIX = Pattern.compile("\\.\\.\\s*\"([a-zA-Z][a-zA-Z0-9:_-]*)\"");

  /**
   * Sample arguments of the key methods taking one; none for the methods building the keys of the job named by
   * the argument (the job's own keys, not the queue's). Scheduler ids never hold ':' (JobSchedulerStore refuses
   * them), so {@code repeat:a:b} is a scheduler run's job id, not a scheduler's hash.
   */
  private static final Map<String, List<String>> ARGUMENTS = Map.ofEntries(
      Map.entry("deduplication", List.of("x", "a:b")),
      Map.entry("groupLimits", List.of("x", "a:b")),
      Map.entry("groupWait", List.of("x", "a:b")),
      Map.entry("jobScheduler", List.of("x")),
      Map.entry("metrics", List.of("completed", "failed", "completed:data", "failed:data")),
      Map.entry("jobKey", List.of()),
      Map.entry("lockKey", List.of()),
      Map.entry("logsKey", List.of()),
      Map.entry("dependenciesKey", List.of()),
      Map.entry("processedKey", List.of()),
      Map.entry("ignoredFailuresKey", List.of()),
      Map.entry("unsuccessfulKey", List.of()),
      Map.entry("workerClientName", List.of()),
      // Not a key: the job id a key names.
      Map.entry("jobIdOf", List.of()));

  private KnownKeySuffixes() {}

  /** The suffixes of every key QueueKeys builds, e.g. {@code meta}, {@code de:x}, {@code bp:config}. */
  public static Set<String> ofQueueKeys() {
    Set<String> suffixes = new TreeSet<>();
    try {
      for (Method method : QueueKeys.class.getMethods()) {
        if (Modifier.isStatic(method.getModifiers()) || method.getReturnType() != String.class) {
          continue;
        }
        if (method.getParameterCount() == 0) {
          if (method.getName().equals("scanPattern")) {
            continue;  // a SCAN MATCH pattern of every key, not a key
          }
          suffix((String) method.invoke(KEYS)).ifPresent(suffixes::add);
        } else if (method.getParameterCount() == 1 && method.getParameterTypes()[0] == String.class) {
          List<String> arguments = ARGUMENTS.get(method.getName());
          assertTrue(arguments != null, "QueueKeys." + method.getName() + "(String) is new: say in "
              + "KnownKeySuffixes.ARGUMENTS which arguments it takes, or that it builds the given job's keys");
          for (String argument : arguments) {
            suffix((String) method.invoke(KEYS, argument)).ifPresent(suffixes::add);
          }
        }
      }
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new AssertionError(e);
    }
    suffix(KEYS.finishedSet(true)).ifPresent(suffixes::add);
    suffix(KEYS.finishedSet(false)).ifPresent(suffixes::add);
    KEYS.workerKeys().forEach(key -> suffix(key).ifPresent(suffixes::add));
    return suffixes;
  }

  /**
   * The suffixes the scripts append to a key prefix, completed with an id where the literal ends in ':'
   * ({@code de:x}, {@code bp:cap:x}, {@code repeat:x}) and, but for scheduler hashes, with an id holding ':' too.
   */
  public static Set<String> ofScripts() {
    Set<String> suffixes = new TreeSet<>();
    URI addJobs = luaFile();
    // Failsafe runs against the packaged jar, surefire against target/classes.
    try (FileSystem jar = addJobs.getScheme().equals("jar") ? FileSystems.newFileSystem(addJobs, Map.of()) : null;
        Stream<Path> files = Files.walk(Path.of(addJobs).getParent())) {
      for (Path file : files.filter(f -> f.toString().endsWith(".lua")).toList()) {
        Matcher m = LUA_SUFFIX.matcher(Files.readString(file, StandardCharsets.UTF_8));
        while (m.find()) {
          String literal = m.group(1);
          if (!literal.endsWith(":")) {
            suffixes.add(literal);
            continue;
          }
          suffixes.add(literal + "x");
          if (!literal.equals("repeat:")) {
            suffixes.add(literal + "a:b");
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return suffixes;
  }

  /** Both of the above. */
  public static Set<String> all() {
    Set<String> all = new TreeSet<>(ofQueueKeys());
    all.addAll(ofScripts());
    return all;
  }

  private static URI luaFile() {
    try {
      return QueueKeys.class.getResource("/io/bullpen/redis/lua/addJobs.lua").toURI();
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
  }

  /** The part of {@code key} after the queue's key prefix; empty for what is not a queue key. */
  private static Optional<String> suffix(String key) {
    if (key == null || !key.startsWith(KEYS.keyPrefix()) || key.length() == KEYS.keyPrefix().length()) {
      return Optional.empty();
    }
    return Optional.of(key.substring(KEYS.keyPrefix().length()));
  }
}
