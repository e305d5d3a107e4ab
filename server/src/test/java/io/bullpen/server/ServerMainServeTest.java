package io.bullpen.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code server serve} configured by bullpen.toml, the environment and flags, against a real Redis. */
@RedisTest
class ServerMainServeTest {
  @TempDir
  Path dir;

  @Test
  void servesWithTheFileTheEnvironmentAndTheFlagsLaterOnesWinning(RunningRedis redis) throws IOException {
    String prefix = "cfg" + UUID.randomUUID().toString().substring(0, 8);
    Path config = Files.writeString(dir.resolve("bullpen.toml"), String.join("\n",
        "[redis]", "uri = \"" + redis.uri() + "\"", "", "[queue]", "prefix = \"" + prefix + "\"", "",
        "[server]", "port = 1", "queues = [\"inbox\", \"outbox\"]", "max_body_bytes = 4096",
        "key_file = \"" + dir.resolve("keys.json").toString().replace("\\", "\\\\") + "\"", "dashboard = false", ""));
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    ServerMain main = new ServerMain(Map.of("BULLPEN_SERVER_CACHE_MAX_ENTRIES", "5"),
        new PrintStream(printed, true, StandardCharsets.UTF_8));
    try (ServerMain.Running running = main.start(new ServerMain.Flags(new ArrayDeque<>(List.of("--config",
        config.toString(), "--port", "0"))))) {
      ServerOptions o = running.server().options();
      assertEquals(null, running.embedded(), "redis.uri is set: no embedded Redis");
      assertEquals(prefix, o.prefix());
      assertEquals(java.util.Set.of("inbox", "outbox"), o.queues());
      assertEquals(4096, o.maxBodyBytes());
      assertEquals(5, o.cacheMaxEntries());
      assertTrue(!o.dashboard());
      assertTrue(o.port() == 0 && running.server().port() > 0, "the flag wins over the file: " + o.port());

      Matcher key = Pattern.compile("\\s(bp_\\S+)\\s").matcher(printed.toString(StandardCharsets.UTF_8));
      assertTrue(key.find(), printed.toString(StandardCharsets.UTF_8));
      Http.Response queues = new Http(running.server().uri(), key.group(1)).get("/api/v1/queues");
      assertEquals(200, queues.status(), queues.toString());
      assertTrue(queues.text().contains("\"inbox\"") && queues.text().contains("\"outbox\""), queues.toString());
      assertEquals(404, new Http(running.server().uri(), key.group(1)).get("/").status(), "dashboard off");
    }
  }
}
