package io.bullpen.cli.internal;

import io.bullpen.server.ApiKey;
import io.bullpen.server.ApiKeys;
import io.bullpen.server.CreatedApiKey;
import io.bullpen.server.Scope;
import io.bullpen.server.ServerSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code keys create|revoke|list}: the Bullpen server's API keys, in the key file the server reads
 * ({@code --key-file}, else {@code server.key_file} of the shared configuration). The server's {@link ApiKeys} does
 * the work, so keys are hashed and written as the server writes them; a running server sees a change within a
 * second. Needs no Redis.
 */
@Command(name = "keys", description = "Create, revoke and list the server's API keys (stored hashed in its key file).",
    subcommands = {KeysCommand.Create.class, KeysCommand.Revoke.class, KeysCommand.ListKeys.class})
public final class KeysCommand {
  private KeysCommand() {}

  abstract static class OnKeyFile extends BaseCommand {
    @Option(names = "--key-file", paramLabel = "FILE",
        description = "the key file (default: server.key_file, else bullpen-keys.json)")
    Path keyFile;

    ApiKeys keys() {
      return ApiKeys.file(keyFile != null ? keyFile : session().config().get(ServerSettings.SECTION).keyFile());
    }

    static Map<String, Object> row(ApiKey key) {
      return Output.row("id", key.id(), "name", key.name(),
          "scopes", String.join(",", key.scopes().stream().map(Scope::wireName).sorted().toList()),
          "queues", String.join(",", key.queuePatterns()), "created", key.createdAt().toString());
    }
  }

  @Command(name = "create", description = "Make a key and print it once: only its hash is stored.")
  public static final class Create extends OnKeyFile {
    @Option(names = "--name", required = true, description = "who or what the key is for")
    String name;

    @Option(names = "--scopes", required = true, split = ",", paramLabel = "SCOPE",
        description = "read, produce, work, admin (comma-separated)")
    List<String> scopes;

    @Option(names = "--queues", split = ",", paramLabel = "PATTERN",
        description = "queue patterns the key may use, e.g. mail-* (default: *, every queue)")
    List<String> queues = new ArrayList<>(List.of("*"));

    @Override
    protected int run() {
      Set<Scope> granted = EnumSet.noneOf(Scope.class);
      scopes.forEach(s -> granted.add(Scope.parse(s)));
      ApiKeys keys = keys();
      CreatedApiKey made = keys.create(name, granted, queues);
      Map<String, Object> row = row(made.key());
      row.put("key", made.secret());
      row.put("file", keys.location());
      out().message("created key " + made.key().id() + " in " + keys.location() + " (scopes " + row.get("scopes")
          + ", queues " + row.get("queues") + ")\nkey, shown only this once: " + made.secret(), row);
      return ExitCodes.OK;
    }
  }

  @Command(name = "revoke", description = "Revoke a key by its id; a running server refuses it within a second.")
  public static final class Revoke extends OnKeyFile {
    @Parameters(index = "0", paramLabel = "ID", description = "the key's id (keys list shows them)")
    String id;

    @Override
    protected int run() {
      ApiKeys keys = keys();
      if (!keys.revoke(id)) {
        throw ExitCodes.notFound("no key with id " + id + " in " + keys.location());
      }
      out().message("revoked " + id, Output.row("revoked", id, "file", keys.location()));
      return ExitCodes.OK;
    }
  }

  @Command(name = "list", description = "Every key, oldest first, without secrets (they are not stored).")
  public static final class ListKeys extends OnKeyFile {
    @Override
    protected int run() {
      List<Map<String, Object>> rows = new ArrayList<>();
      keys().list().forEach(k -> rows.add(row(k)));
      out().table(rows);
      return ExitCodes.OK;
    }
  }
}
