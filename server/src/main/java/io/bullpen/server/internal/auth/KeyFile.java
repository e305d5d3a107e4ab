package io.bullpen.server.internal.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bullpen.InvalidOptionException;
import io.bullpen.server.ApiKey;
import io.bullpen.server.Scope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The key file: JSON, {@code {"keys":[{"id","name","scopes","queues","createdAt","sha256"}]}}, readable by its owner
 * only. Changes are read-modify-write under an exclusive lock on {@code <file>.lock}, written to a temporary file and
 * moved over the old one, so a server reading it concurrently sees the old or the new list, never half of one.
 */
public final class KeyFile {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;

  public KeyFile(Path file) {
    this.file = file.toAbsolutePath();
  }

  public Path path() {
    return file;
  }

  /** The file's modification stamp (time and size), to notice changes made by another process. */
  public String stamp() {
    try {
      return Files.exists(file) ? Files.getLastModifiedTime(file).toMillis() + "/" + Files.size(file) : "absent";
    } catch (IOException e) {
      return "unreadable";
    }
  }

  /** Every stored key; none when the file does not exist. */
  public List<KeyRecord> read() {
    if (!Files.exists(file)) {
      return List.of();
    }
    try {
      return parse(JSON.readTree(file.toFile()));
    } catch (JsonProcessingException e) {
      throw new InvalidOptionException("keyFile", file.toString(), "is not a key file: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read key file " + file, e);
    }
  }

  /** Replaces the stored list with {@code change(current)}, atomically, under the file lock. */
  public void update(UnaryOperator<List<KeyRecord>> change) {
    try {
      Path parent = file.getParent();
      Files.createDirectories(parent);
      try (FileChannel lockChannel = FileChannel.open(parent.resolve(file.getFileName() + ".lock"),
              StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = lockChannel.lock()) {
        List<KeyRecord> next = change.apply(read());
        Path temp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
        try {
          restrictToOwner(temp);
          Files.writeString(temp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(render(next)));
          try {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
          } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
          }
        } finally {
          Files.deleteIfExists(temp);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write key file " + file, e);
    }
  }

  private static void restrictToOwner(Path path) throws IOException {
    try {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: the directory's own protection applies.
    }
  }

  private List<KeyRecord> parse(JsonNode root) {
    JsonNode keys = root.path("keys");
    if (!keys.isArray()) {
      throw new InvalidOptionException("keyFile", file.toString(), "has no \"keys\" array");
    }
    List<KeyRecord> records = new ArrayList<>();
    for (JsonNode node : keys) {
      Set<Scope> scopes = EnumSet.noneOf(Scope.class);
      node.path("scopes").forEach(s -> scopes.add(Scope.parse(s.asText())));
      List<String> queues = new ArrayList<>();
      node.path("queues").forEach(q -> queues.add(q.asText()));
      ApiKey key = new ApiKey(node.path("id").asText(), node.path("name").asText(), scopes, queues,
          Instant.parse(node.path("createdAt").asText()));
      String hash = node.path("sha256").asText();
      if (!hash.matches("[0-9a-f]{64}")) {
        throw new InvalidOptionException("keyFile", file.toString(), "key " + key.id() + " has no valid sha256");
      }
      records.add(new KeyRecord(key, hash));
    }
    return records;
  }

  private static ObjectNode render(List<KeyRecord> records) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode keys = root.putArray("keys");
    for (KeyRecord record : records) {
      ObjectNode node = keys.addObject();
      node.put("id", record.key().id());
      node.put("name", record.key().name());
      ArrayNode scopes = node.putArray("scopes");
      EnumSet.copyOf(record.key().scopes()).forEach(s -> scopes.add(s.wireName()));
      ArrayNode queues = node.putArray("queues");
      record.key().queuePatterns().forEach(queues::add);
      node.put("createdAt", record.key().createdAt().toString());
      node.put("sha256", record.sha256());
    }
    return root;
  }
}
