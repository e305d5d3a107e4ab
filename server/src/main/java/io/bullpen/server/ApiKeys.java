package io.bullpen.server;

import io.bullpen.InvalidOptionException;
import io.bullpen.server.internal.auth.KeyFile;
import io.bullpen.server.internal.auth.KeyRecord;
import io.bullpen.server.internal.auth.KeySecrets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The API keys a server accepts. Keys are stored hashed (SHA-256 of the key text; the text is 256 random bits, so a
 * fast hash is safe, see docs/server.md), checked in constant time, and shown once, when {@link #create} makes them.
 *
 * <p>{@link #file(Path)} keeps them in a JSON file readable by its owner only, which several processes may share: the
 * {@code server keys} command (or any program using this class) writes it, and a running server notices the change
 * within a second, so a revoked key stops working without a restart. A file rather than Redis, so that who may use
 * the queues is not decided by whoever can write to Redis. {@link #inMemory()} is for embedding and tests.
 *
 * <pre>{@code
 * ApiKeys keys = ApiKeys.file(Path.of("/etc/bullpen/keys.json"));
 * CreatedApiKey made = keys.create("billing", Set.of(Scope.PRODUCE), List.of("invoices"));
 * System.out.println(made.secret()); // hand it over now: it cannot be shown again
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class ApiKeys {
  private final KeyFile file;
  private final Clock clock;
  private final AtomicReference<Snapshot> snapshot = new AtomicReference<>(new Snapshot("none", Map.of(), 0));

  private record Snapshot(String stamp, Map<String, KeyRecord> byId, long checkedAtMillis) {}

  private ApiKeys(KeyFile file, Clock clock) {
    this.file = file;
    this.clock = clock;
  }

  /** Keys kept in the JSON file at {@code path} (created on the first {@link #create}). */
  public static ApiKeys file(Path path) {
    if (path == null) {
      throw new InvalidOptionException("keyFile", null, "is required");
    }
    ApiKeys keys = new ApiKeys(new KeyFile(path), Clock.systemUTC());
    keys.reload();
    return keys;
  }

  /** Keys kept in this object only, gone when it is. */
  public static ApiKeys inMemory() {
    return new ApiKeys(null, Clock.systemUTC());
  }

  /**
   * Makes a key granting {@code scopes} on the queues matching {@code queuePatterns} ({@code *} for all) and returns
   * it with its secret text, which only this call ever sees.
   */
  public CreatedApiKey create(String name, Set<Scope> scopes, List<String> queuePatterns) {
    String id = KeySecrets.newId();
    ApiKey key = new ApiKey(id, name, scopes, queuePatterns, clock.instant());
    String secret = KeySecrets.newSecret(id);
    KeyRecord record = new KeyRecord(key, KeySecrets.sha256(secret));
    change(records -> {
      List<KeyRecord> next = new ArrayList<>(records);
      next.add(record);
      return next;
    });
    return new CreatedApiKey(key, secret);
  }

  /** Revokes the key with this id; false when there was none. Takes effect at once in this process. */
  public boolean revoke(String id) {
    boolean[] found = {false};
    change(records -> {
      List<KeyRecord> next = new ArrayList<>();
      for (KeyRecord record : records) {
        if (record.key().id().equals(id)) {
          found[0] = true;
        } else {
          next.add(record);
        }
      }
      return next;
    });
    return found[0];
  }

  /** Every key, oldest first (without secrets: they are not stored). */
  public List<ApiKey> list() {
    return current().byId().values().stream().map(KeyRecord::key)
        .sorted((a, b) -> a.createdAt().compareTo(b.createdAt())).toList();
  }

  /**
   * The key whose secret text is {@code presented}; empty for anything else (malformed, unknown, revoked). The
   * comparison takes the same time wherever the texts differ.
   */
  public Optional<ApiKey> authenticate(String presented) {
    Optional<String> id = KeySecrets.idOf(presented);
    if (id.isEmpty()) {
      return Optional.empty();
    }
    KeyRecord record = current().byId().get(id.get());
    if (record == null) {
      return Optional.empty();
    }
    return KeySecrets.matches(presented, record.sha256()) ? Optional.of(record.key()) : Optional.empty();
  }

  /** Where the keys are kept: the file, or {@code memory}. */
  public String location() {
    return file == null ? "memory" : file.path().toString();
  }

  private synchronized void change(java.util.function.UnaryOperator<List<KeyRecord>> change) {
    if (file == null) {
      Snapshot old = snapshot.get();
      List<KeyRecord> next = change.apply(new ArrayList<>(old.byId().values()));
      snapshot.set(new Snapshot("memory", index(next), 0));
    } else {
      file.update(change);
      reload();
    }
  }

  /** The keys as stored, from the file again when it changed and the last look is a second old. */
  private Snapshot current() {
    Snapshot known = snapshot.get();
    if (file != null && clock.millis() - known.checkedAtMillis() >= 1000) {
      if (!file.stamp().equals(known.stamp())) {
        return reload();
      }
      snapshot.compareAndSet(known, new Snapshot(known.stamp(), known.byId(), clock.millis()));
    }
    return known;
  }

  private synchronized Snapshot reload() {
    String stamp = file.stamp();
    Snapshot next = new Snapshot(stamp, index(file.read()), clock.millis());
    snapshot.set(next);
    return next;
  }

  private static Map<String, KeyRecord> index(List<KeyRecord> records) {
    return records.stream().collect(Collectors.toUnmodifiableMap(r -> r.key().id(), Function.identity()));
  }

  @Override
  public String toString() {
    return "ApiKeys{" + location() + "}";
  }
}
