package io.bullpen.redis.internal.script;

import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bullpen's scripts as one Redis function library (Redis 7 and later). As EVAL scripts, every call runs a
 * script's whole text again, which defines each of its include's helper functions anew (a closure apiece, tens
 * per call, since scripts may not keep globals); a library's text runs once, at {@code FUNCTION LOAD}, and a call
 * runs only the entry script's body.
 *
 * <p>The library defines each include once, in an order that puts every file after the files it includes, then
 * one Lua function per entry script whose body is the script's text without its include lines. The bodies read
 * {@code KEYS} and {@code ARGV} as before: the registered callback sets them, as library locals, to the call's key
 * and argument tables (Redis runs one function at a time). The library and function names carry a digest of the
 * library's text, so two Bullpen versions sharing a Redis load two libraries and never call each other's scripts.
 * Read-only scripts are registered with the {@code no-writes} flag, which lets them run when Redis is out of
 * memory, as their EVAL form can.
 */
public final class FunctionLibrary {
  private static final Pattern TOP_LEVEL_LOCAL =
      Pattern.compile("^local\\s+(?:function\\s+)?([A-Za-z_][A-Za-z0-9_]*)", Pattern.MULTILINE);
  private static final FunctionLibrary BULLPEN = build();

  private final String name;
  private final String code;
  private final Map<Script, String> functionNames;

  private FunctionLibrary(String name, String code, Map<Script, String> functionNames) {
    this.name = name;
    this.code = code;
    this.functionNames = functionNames;
  }

  /** The library of every {@link Script} that runs as a function. */
  public static FunctionLibrary bullpen() {
    return BULLPEN;
  }

  /** The library's name, {@code bullpen_<digest>}. */
  public String name() {
    return name;
  }

  /** The text for {@code FUNCTION LOAD}. */
  public String code() {
    return code;
  }

  /** The function that runs {@code script}, or null when it runs only as an EVAL script. */
  public String functionName(Script script) {
    return functionNames.get(script);
  }

  private static FunctionLibrary build() {
    Set<String> included = new HashSet<>();
    StringBuilder helpers = new StringBuilder();
    Map<Script, String> bodies = new LinkedHashMap<>();
    for (Script script : Script.values()) {
      if (!script.runsAsFunction()) {
        continue;
      }
      StringBuilder includes = new StringBuilder();
      StringBuilder body = new StringBuilder();
      for (String line : LuaScript.rawSource(script.fileName()).split("\n", -1)) {
        (line.trim().startsWith("--@include ") ? includes : body).append(line).append('\n');
      }
      helpers.append(LuaScript.expand(includes.toString(), included));
      bodies.put(script, body.toString());
    }
    checkNoNameDefinedTwice(helpers.toString());

    StringBuilder lua = new StringBuilder();
    lua.append("local KEYS, ARGV\n").append(helpers);
    lua.append("local entry = {}\n");
    for (Map.Entry<Script, String> body : bodies.entrySet()) {
      lua.append("entry[\"").append(body.getKey().fileName()).append("\"] = function()\n")
          .append(body.getValue()).append("end\n");
    }
    lua.append("""
        local function register(name, body, flags)
          redis.register_function{function_name = name, flags = flags, callback = function(keys, args)
            KEYS, ARGV = keys, args
            local reply = body()
            KEYS, ARGV = nil, nil
            return reply
          end}
        end
        """);
    String digest = LuaScript.sha1(lua.toString()).substring(0, 12);
    String libraryName = "bullpen_" + digest;
    Map<Script, String> names = new EnumMap<>(Script.class);
    for (Script script : bodies.keySet()) {
      String functionName = libraryName + "_" + script.fileName();
      names.put(script, functionName);
      lua.append("register(\"").append(functionName).append("\", entry[\"").append(script.fileName())
          .append("\"], {").append(script.readOnly() ? "\"no-writes\"" : "").append("})\n");
    }
    return new FunctionLibrary(libraryName, "#!lua name=" + libraryName + "\n" + lua, names);
  }

  /**
   * Two includes defining the same top-level name would be fine in two separate scripts but, in one library, the
   * later would shadow the earlier for every script after it: refuse to build rather than change a script.
   */
  private static void checkNoNameDefinedTwice(String helpers) {
    Set<String> names = new HashSet<>();
    Matcher matcher = TOP_LEVEL_LOCAL.matcher(helpers);
    while (matcher.find()) {
      if (!names.add(matcher.group(1))) {
        throw new IllegalStateException("two Lua includes define the top-level name " + matcher.group(1));
      }
    }
  }

  @Override
  public String toString() {
    return "FunctionLibrary{" + name + "}";
  }
}
