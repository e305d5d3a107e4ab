package io.bullpen.redis.internal.script;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One Lua script loaded from {@code /io/bullpen/redis/lua/<name>.lua}, with its SHA-1 computed locally so it
 * can be called with EVALSHA. A line {@code --@include <file>} is replaced by
 * {@code /io/bullpen/redis/lua/includes/<file>.lua} (each file at most once), which lets several scripts share
 * helper functions while each stays one atomic script.
 */
public final class LuaScript {
  private static final String ROOT = "/io/bullpen/redis/lua/";
  private static final ConcurrentMap<String, LuaScript> CACHE = new ConcurrentHashMap<>();

  private final String name;
  private final String source;
  private final String sha;

  private LuaScript(String name, String source) {
    this.name = name;
    this.source = source;
    this.sha = sha1(source);
  }

  /** The script named {@code name}, loaded once per JVM. */
  public static LuaScript named(String name) {
    return CACHE.computeIfAbsent(name, n -> new LuaScript(n, expand(read(ROOT + n + ".lua"), new HashSet<>())));
  }

  public String name() {
    return name;
  }

  public String source() {
    return source;
  }

  public String sha() {
    return sha;
  }

  /**
   * {@code text} with each {@code --@include} line replaced by its file, expanded the same way, unless
   * {@code included} already names it (it is added to {@code included} otherwise).
   */
  static String expand(String text, Set<String> included) {
    StringBuilder out = new StringBuilder(text.length() + 256);
    for (String line : text.split("\n", -1)) {
      String trimmed = line.trim();
      if (trimmed.startsWith("--@include ")) {
        String file = trimmed.substring("--@include ".length()).trim();
        if (included.add(file)) {
          out.append(expand(read(ROOT + "includes/" + file + ".lua"), included)).append('\n');
        }
      } else {
        out.append(line).append('\n');
      }
    }
    return out.toString();
  }

  /** The unexpanded text of the entry script {@code name}. */
  static String rawSource(String name) {
    return read(ROOT + name + ".lua");
  }

  private static String read(String resource) {
    try (InputStream in = LuaScript.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing Lua resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Lua resource " + resource, e);
    }
  }

  static String sha1(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-1");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "LuaScript{" + name + "}";
  }
}
