package io.bullpen.outbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.bullpen.InvalidOptionException;
import java.time.Clock;
import java.util.regex.Pattern;

/**
 * Where the outbox lives and how rows are written, shared by {@link Outbox}, {@link OutboxRelay} and
 * {@link OutboxSchema}. Immutable; the builder checks every value at once.
 *
 * <ul>
 *   <li>{@code table}: {@code name} or {@code schema.name}, each a lower-case SQL identifier of at most 48
 *       characters (default {@value #DEFAULT_TABLE}); the indexes, trigger and notification channel are named
 *       after it.
 *   <li>{@code clock}: the time rows are stamped with (enqueue time, next attempt, parking); the system clock by
 *       default.
 *   <li>{@code dataMapper}: the Jackson mapper that turns job data into JSON at enqueue; by default one like the
 *       queue's own ({@code findAndRegisterModules}, no default typing).
 * </ul>
 */
public final class OutboxOptions {
  /** The default table name. */
  public static final String DEFAULT_TABLE = "bullpen_outbox";

  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,47}");
  private static final OutboxOptions DEFAULTS = builder().build();

  private final String schema;
  private final String table;
  private final Clock clock;
  private final ObjectMapper dataMapper;

  private OutboxOptions(Builder b) {
    this.schema = b.schema;
    this.table = b.table;
    this.clock = b.clock;
    this.dataMapper = b.dataMapper == null ? new ObjectMapper().findAndRegisterModules() : b.dataMapper;
  }

  public static OutboxOptions defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The table as SQL names it: {@code schema.name} or {@code name}. */
  public String qualifiedTable() {
    return schema == null ? table : schema + "." + table;
  }

  /** The table's own name, without its schema; also the LISTEN/NOTIFY channel. */
  public String tableName() {
    return table;
  }

  public Clock clock() {
    return clock;
  }

  public ObjectMapper dataMapper() {
    return dataMapper;
  }

  @Override
  public String toString() {
    return "OutboxOptions{table=" + qualifiedTable() + ", clock=" + clock + "}";
  }

  /** Builds {@link OutboxOptions}. */
  public static final class Builder {
    private String schema;
    private String table = DEFAULT_TABLE;
    private Clock clock = Clock.systemUTC();
    private ObjectMapper dataMapper;

    private Builder() {}

    /** {@code name} or {@code schema.name}, lower-case SQL identifiers of at most 48 characters each. */
    public Builder table(String qualifiedName) {
      Require.nonNull("table", qualifiedName);
      String[] parts = qualifiedName.split("\\.", -1);
      if (parts.length > 2 || !java.util.Arrays.stream(parts).allMatch(p -> IDENTIFIER.matcher(p).matches())) {
        throw new InvalidOptionException("table", qualifiedName,
            "must be name or schema.name, each [a-z_][a-z0-9_]* of at most 48 characters");
      }
      this.schema = parts.length == 2 ? parts[0] : null;
      this.table = parts[parts.length - 1];
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Require.nonNull("clock", clock);
      return this;
    }

    /** The mapper for job data; keep default typing off (it lets JSON choose the classes to build). */
    public Builder dataMapper(ObjectMapper mapper) {
      this.dataMapper = Require.nonNull("dataMapper", mapper);
      return this;
    }

    public OutboxOptions build() {
      return new OutboxOptions(this);
    }
  }
}
