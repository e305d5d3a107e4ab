package io.bullpen.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.redis.RedisConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BullpenConfigTest {
  private static final List<ConfigSection<?>> SECTIONS = List.of(RedisSettings.SECTION, QueueSettings.SECTION);

  @TempDir
  Path dir;

  private Path file(String toml) throws IOException {
    Path f = dir.resolve("bullpen.toml");
    Files.writeString(f, toml);
    return f;
  }

  private ConfigException refused(String toml, Map<String, String> env) throws IOException {
    Path f = file(toml);
    return assertThrows(ConfigException.class, () -> BullpenConfig.load(f, env, SECTIONS));
  }

  @Test
  void defaultsApplyWithoutAFile() {
    BullpenConfig config = BullpenConfig.load(null, Map.of(), SECTIONS);
    RedisConfig redis = config.get(RedisSettings.SECTION);
    assertEquals("redis://127.0.0.1:6379", redis.uri());
    assertEquals(Duration.ofSeconds(5), redis.commandTimeout());
    assertEquals("bull", config.get(QueueSettings.SECTION).prefix());
  }

  @Test
  void theFileSetsValuesAndTheEnvironmentOverridesThem() throws IOException {
    Path f = file("""
        [redis]
        uri = "redis://10.0.0.5:6380/2"
        command_timeout = "250ms"

        [queue]
        prefix = "{jobs}"
        """);
    BullpenConfig config = BullpenConfig.load(f, Map.of("BULLPEN_REDIS_COMMAND_TIMEOUT", "2m",
        "BULLPEN_QUEUE_MAX_LEN_EVENTS", "500"), SECTIONS);
    RedisConfig redis = config.get(RedisSettings.SECTION);
    assertEquals("redis://10.0.0.5:6380/2", redis.uri());
    assertEquals(Duration.ofMinutes(2), redis.commandTimeout());
    assertEquals(new QueueSettings("{jobs}", 500), config.get(QueueSettings.SECTION));
    SectionValues values = config.values(RedisSettings.SECTION);
    assertEquals(f + " line 2", values.origin(RedisSettings.URI));
    assertEquals("environment BULLPEN_REDIS_COMMAND_TIMEOUT", values.origin(RedisSettings.COMMAND_TIMEOUT));
    assertEquals("default", values.origin(RedisSettings.CONNECT_TIMEOUT));
  }

  @Test
  void anUnknownKeyNamesTheKeyTheFileAndTheLine() throws IOException {
    ConfigException e = refused("[redis]\nuri = \"redis://h:1\"\n\ncomand_timeout = \"5s\"\n", Map.of());
    assertEquals("redis.comand_timeout", e.key().orElseThrow());
    assertTrue(e.getMessage().startsWith(dir.resolve("bullpen.toml") + " line 4: redis.comand_timeout: unknown key"),
        e.getMessage());
    assertTrue(e.getMessage().contains("command_timeout"), "lists the known keys: " + e.getMessage());
  }

  @Test
  void anUnknownTableIsRefusedButTablesOfOtherProgramsAreNot() throws IOException {
    ConfigException e = refused("[queue]\nprefix = \"x\"\n[redsi]\nuri = \"redis://h:1\"\n", Map.of());
    assertEquals(dir.resolve("bullpen.toml") + " line 3", e.origin());
    assertTrue(e.getMessage().contains("unknown table [redsi]"), e.getMessage());

    Path f = file("[server]\nport = 8080\nwhatever = true\n");
    BullpenConfig.load(f, Map.of(), SECTIONS);   // [server] belongs to the HTTP server
  }

  @Test
  void aWrongTypeNamesTheExpectedType() throws IOException {
    ConfigException e = refused("\n[redis]\ncommand_timeout = 5000\n", Map.of());
    assertEquals("redis.command_timeout", e.key().orElseThrow());
    assertEquals(dir.resolve("bullpen.toml") + " line 3", e.origin());
    assertTrue(e.getMessage().contains("must be a duration string such as \"5s\""), e.getMessage());

    ConfigException integer = refused("[redis]\nmax_payload_bytes = \"big\"\n", Map.of());
    assertTrue(integer.getMessage().contains("line 2: redis.max_payload_bytes: must be an integer, was a string"),
        integer.getMessage());
  }

  @Test
  void aBadValueNamesTheKeyAndTheValue() throws IOException {
    ConfigException range = refused("[redis]\nreplicas_to_wait_for = 101\n", Map.of());
    assertTrue(range.getMessage().endsWith("line 2: redis.replicas_to_wait_for: must be from 0 to 100, was 101"),
        range.getMessage());

    ConfigException uri = refused("[redis]\n# where\nuri = \"redis://h:notaport\"\n", Map.of());
    assertEquals("redis.uri", uri.key().orElseThrow());
    assertEquals(dir.resolve("bullpen.toml") + " line 3", uri.origin());
    assertTrue(uri.getMessage().contains("port must be a number"), uri.getMessage());

    ConfigException prefix = refused("[queue]\nprefix = \"a:b\"\n", Map.of());
    assertEquals("queue.prefix", prefix.key().orElseThrow());
    assertTrue(prefix.origin().endsWith("line 2"), prefix.origin());
  }

  @Test
  void aBadEnvironmentValueNamesTheVariable() throws IOException {
    ConfigException e = refused("", Map.of("BULLPEN_REDIS_CONNECT_TIMEOUT", "soon"));
    assertEquals("environment BULLPEN_REDIS_CONNECT_TIMEOUT", e.origin());
    assertTrue(e.getMessage().contains("must be a duration"), e.getMessage());
  }

  @Test
  void invalidTomlNamesTheLine() throws IOException {
    ConfigException e = refused("[redis]\nuri = \"redis://h:1\"\nuri = \"redis://h:2\"\n", Map.of());
    assertTrue(e.origin().endsWith("line 3"), e.origin());
    assertTrue(e.getMessage().contains("not valid TOML"), e.getMessage());
  }

  @Test
  void thePasswordJoinsTheUriAndIsNeverShown() throws IOException {
    Path f = file("[redis]\nuri = \"redis://10.0.0.5:6379\"\nusername = \"app\"\n");
    BullpenConfig config = BullpenConfig.load(f, Map.of("BULLPEN_REDIS_PASSWORD", "s3cr3t p@ss"), SECTIONS);
    assertEquals("redis://app:s3cr3t%20p%40ss@10.0.0.5:6379", config.get(RedisSettings.SECTION).uri());
    String shown = config.describe();
    assertFalse(shown.contains("s3cr3t"), shown);
    assertTrue(shown.contains("password = \"***\""), shown);
    assertTrue(shown.contains("# environment BULLPEN_REDIS_PASSWORD"), shown);
    assertTrue(shown.contains("command_timeout = \"5s\""), shown);

    Path inUri = file("[redis]\nuri = \"redis://:hunter2@10.0.0.5:6379\"\n");
    String masked = BullpenConfig.load(inUri, Map.of(), SECTIONS).describe();
    assertFalse(masked.contains("hunter2"), masked);
    assertTrue(masked.contains("redis://:***@10.0.0.5:6379"), masked);
  }

  /** A section of another module (as the HTTP server declares [server]) gets the same rules. */
  record Server(String host, int port, Duration idle) {}

  static final Setting<String> HOST = Setting.string("host", "127.0.0.1");
  static final Setting<Integer> PORT = Setting.integer("port", 8080, 1, 65535);
  static final Setting<Duration> IDLE = Setting.duration("idle_timeout", Duration.ofSeconds(30))
      .check(d -> !d.isZero(), "must be more than zero");
  static final ConfigSection<Server> SERVER = ConfigSection.of("server", List.of(HOST, PORT, IDLE),
      v -> new Server(v.get(HOST), v.get(PORT), v.get(IDLE)));

  @Test
  void anotherModuleBindsItsOwnSection() throws IOException {
    Path f = file("[server]\nport = 9090\n");
    BullpenConfig config = BullpenConfig.load(f, Map.of("BULLPEN_SERVER_HOST", "0.0.0.0"),
        List.of(RedisSettings.SECTION, SERVER));
    assertEquals(new Server("0.0.0.0", 9090, Duration.ofSeconds(30)), config.get(SERVER));

    Files.writeString(f, "[server]\nport = 9090\nidle_timeout = \"0s\"\n");
    ConfigException e = assertThrows(ConfigException.class,
        () -> BullpenConfig.load(f, Map.of(), List.of(SERVER)));
    assertEquals(f + " line 3: server.idle_timeout: must be more than zero, was 0s", e.getMessage());

    Files.writeString(f, "[server]\nportt = 9090\n");
    ConfigException unknown = assertThrows(ConfigException.class,
        () -> BullpenConfig.load(f, Map.of(), List.of(SERVER)));
    assertEquals(f + " line 2: server.portt: unknown key; [server] has [host, port, idle_timeout]",
        unknown.getMessage());
  }

  static final Setting<List<String>> ORIGINS = Setting.strings("origins", List.of())
      .check(l -> l.stream().allMatch(o -> o.startsWith("https://")), "every origin must be https://...");
  static final ConfigSection<List<String>> WEB = ConfigSection.of("web", List.of(ORIGINS), v -> v.get(ORIGINS));

  @Test
  void aListOfStringsIsATomlArrayInTheFileAndCommaSeparatedInTheEnvironment() throws IOException {
    Path f = file("[web]\norigins = [\"https://a.example\", \"https://b.example\"]\n");
    BullpenConfig config = BullpenConfig.load(f, Map.of(), List.of(WEB));
    assertEquals(List.of("https://a.example", "https://b.example"), config.get(WEB));
    assertTrue(config.describe().contains("origins = [\"https://a.example\", \"https://b.example\"]"),
        config.describe());

    assertEquals(List.of("https://c.example", "https://d.example"), BullpenConfig.load(f,
        Map.of("BULLPEN_WEB_ORIGINS", " https://c.example, ,https://d.example"), List.of(WEB)).get(WEB));
    assertEquals(List.of(), BullpenConfig.load(null, Map.of(), List.of(WEB)).get(WEB), "the default");

    Files.writeString(f, "[web]\norigins = \"https://a.example\"\n");
    ConfigException notArray = assertThrows(ConfigException.class, () -> BullpenConfig.load(f, Map.of(),
        List.of(WEB)));
    assertEquals(f + " line 2: web.origins: must be an array of strings such as [\"a\", \"b\"], was a string "
        + "(\"https://a.example\")", notArray.getMessage());

    Files.writeString(f, "[web]\norigins = [\"https://a.example\", 7]\n");
    assertTrue(assertThrows(ConfigException.class, () -> BullpenConfig.load(f, Map.of(), List.of(WEB)))
        .getMessage().endsWith("web.origins: every item must be a string, was an integer (7)"));

    ConfigException checked = assertThrows(ConfigException.class, () -> BullpenConfig.load(null,
        Map.of("BULLPEN_WEB_ORIGINS", "http://plain.example"), List.of(WEB)));
    assertEquals("environment BULLPEN_WEB_ORIGINS: web.origins: every origin must be https://..., was "
        + "http://plain.example", checked.getMessage());
  }
}
