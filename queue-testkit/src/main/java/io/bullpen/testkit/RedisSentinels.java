package io.bullpen.testkit;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A Sentinel set of a test's own: one master, one replica and three sentinels ({@code redis-server --sentinel},
 * quorum 2) on free loopback ports, ready once the replica has synced and every sentinel knows the replica and
 * the two other sentinels.
 *
 * <pre>{@code
 * try (RedisSentinels sentinels = RedisSentinels.builder().start()) {
 *   ... connect through sentinels.uri(), e.g. redis-sentinel://127.0.0.1:41001,127.0.0.1:41002,...#bullpen ...
 *   RedisProcess master = sentinels.master();
 *   master.kill();                                     // or freeze()
 *   RedisProcess promoted = sentinels.awaitNewMaster(master, Duration.ofSeconds(30));
 * }
 * }</pre>
 *
 * <p>Every server and sentinel is a {@link RedisProcess} with its kill, freeze, thaw, stop and start. Sentinels
 * keep their state in their own rewritten config file, so a restarted sentinel remembers the set. Closing stops
 * every process by its pid and deletes their directories.
 */
public final class RedisSentinels implements AutoCloseable {
  /** The master name of {@link Builder#masterName(String)} unless another is given. */
  public static final String DEFAULT_MASTER_NAME = "bullpen";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
  private static final int QUORUM = 2;

  private final String masterName;
  private final List<RedisProcess> servers;
  private final List<RedisProcess> sentinels = new ArrayList<>();
  private final NodeClient client = new NodeClient();

  private RedisSentinels(String masterName, List<RedisProcess> servers) {
    this.masterName = masterName;
    this.servers = List.copyOf(servers);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The name the sentinels monitor the master under. */
  public String masterName() {
    return masterName;
  }

  /** The two data servers: the first master, then the first replica (roles change with failovers). */
  public List<RedisProcess> servers() {
    return servers;
  }

  /** The three sentinels. */
  public List<RedisProcess> sentinels() {
    return List.copyOf(sentinels);
  }

  /** {@code redis://127.0.0.1:<port>} of each sentinel. */
  public List<String> sentinelUris() {
    return sentinels.stream().map(RedisProcess::uri).toList();
  }

  /**
   * The set as one Lettuce URI: {@code redis-sentinel://127.0.0.1:<p1>,127.0.0.1:<p2>,127.0.0.1:<p3>#<name>}, which
   * {@code RedisClient.connect} follows to the current master.
   */
  public String uri() {
    return "redis-sentinel://"
        + sentinels.stream().map(s -> s.host() + ":" + s.port()).collect(Collectors.joining(","))
        + "#" + masterName;
  }

  /** The server the first answering sentinel names as master now. */
  public RedisProcess master() {
    RuntimeException last = null;
    for (RedisProcess sentinel : sentinels) {
      if (sentinel.pid() < 0 || sentinel.isFrozen()) {
        continue;
      }
      try {
        return serverAt(reportedBy(sentinel));
      } catch (RuntimeException e) {
        last = e;   // frozen or just killed: ask the next one
      }
    }
    throw new IllegalStateException("no sentinel of " + this + " answers", last);
  }

  /**
   * Waits until every running sentinel (not frozen) names the same master, another server than {@code oldMaster},
   * and that server says {@code role:master}. Returns it.
   */
  public RedisProcess awaitNewMaster(RedisProcess oldMaster, Duration timeout) {
    return Await.until(timeout, "sentinels naming a new master instead of " + oldMaster.port(), () -> {
      Integer agreed = null;
      for (RedisProcess sentinel : sentinels) {
        if (sentinel.pid() < 0 || sentinel.isFrozen()) {
          continue;
        }
        int port = reportedBy(sentinel);
        if (agreed != null && agreed != port) {
          throw new Await.NotYet("sentinels disagree: " + agreed + " and " + port);
        }
        agreed = port;
      }
      if (agreed == null) {
        throw new Await.NotYet("no sentinel is running");
      }
      if (agreed == oldMaster.port()) {
        throw new Await.NotYet("the sentinels still name " + agreed);
      }
      RedisProcess promoted = serverAt(agreed);
      if (!"master".equals(client.infoField(promoted, "replication", "role"))) {
        throw new Await.NotYet(agreed + " is named master but is not one yet");
      }
      return promoted;
    });
  }

  /** Stops every sentinel and server by its pid and deletes their directories. */
  @Override
  public void close() {
    try {
      client.close();
    } finally {
      List<RedisProcess> all = new ArrayList<>(sentinels);
      all.addAll(servers);
      for (RedisProcess process : all) {
        try {
          process.close();
        } catch (RuntimeException ignored) {
          // Keep closing the others; each close stops its own process by pid.
        }
      }
    }
  }

  @Override
  public String toString() {
    return "Redis Sentinel set '" + masterName + "' (servers " + servers.stream().map(RedisProcess::port).toList()
        + ", sentinels " + sentinels.stream().map(RedisProcess::port).toList() + ")";
  }

  private int reportedBy(RedisProcess sentinel) {
    SocketAddress address = client.callSentinel(sentinel, s -> s.getMasterAddrByName(masterName));
    return ((InetSocketAddress) address).getPort();
  }

  private RedisProcess serverAt(int port) {
    return servers.stream().filter(s -> s.port() == port).findFirst()
        .orElseThrow(() -> new IllegalStateException("the sentinels name a server on port " + port
            + " that is not one of " + this));
  }

  private void startSentinels(Duration downAfter, Duration failoverTimeout) {
    RedisProcess master = servers.get(0);
    String config = String.join("\n",
        "sentinel monitor " + masterName + " " + master.host() + " " + master.port() + " " + QUORUM,
        "sentinel down-after-milliseconds " + masterName + " " + downAfter.toMillis(),
        "sentinel failover-timeout " + masterName + " " + failoverTimeout.toMillis(),
        "sentinel parallel-syncs " + masterName + " 1",
        "");
    for (int i = 0; i < 3; i++) {
      sentinels.add(RedisProcess.builder().config(config).flag("sentinel").start());
    }
    // The replica is found through the master's INFO, the other sentinels through hello messages every 2 s.
    Await.until(READY_TIMEOUT, "sentinels knowing the replica and each other", () -> {
      for (RedisProcess sentinel : sentinels) {
        Map<String, String> state = client.callSentinel(sentinel, s -> s.master(masterName));
        if (!"master".equals(state.get("flags")) || !"1".equals(state.get("num-slaves"))
            || !"2".equals(state.get("num-other-sentinels"))) {
          throw new Await.NotYet("sentinel " + sentinel.port() + " sees flags=" + state.get("flags")
              + " num-slaves=" + state.get("num-slaves") + " num-other-sentinels=" + state.get("num-other-sentinels"));
        }
      }
      return true;
    });
  }

  /** The master name and the sentinels' timing. */
  public static final class Builder {
    private String masterName = DEFAULT_MASTER_NAME;
    private Duration downAfter = Duration.ofMillis(1000);
    private Duration failoverTimeout = Duration.ofMillis(3000);

    private Builder() {}

    /** The name the sentinels monitor the master under (default {@value #DEFAULT_MASTER_NAME}). */
    public Builder masterName(String name) {
      Objects.requireNonNull(name, "name");
      if (!name.matches("[A-Za-z0-9._-]+")) {
        throw new IllegalArgumentException("master name must be letters, digits, '.', '_' or '-', was '" + name + "'");
      }
      this.masterName = name;
      return this;
    }

    /** {@code down-after-milliseconds} (default 1 s): how long the master may be silent before it is failed over. */
    public Builder downAfter(Duration downAfter) {
      this.downAfter = atLeast(downAfter, 100, "down-after");
      return this;
    }

    /** {@code failover-timeout} (default 3 s): a failover that stalls is retried after twice this. */
    public Builder failoverTimeout(Duration timeout) {
      this.failoverTimeout = atLeast(timeout, 500, "failover timeout");
      return this;
    }

    /** Starts master, replica and sentinels and waits until the set is ready (at most 30 s each step). */
    public RedisSentinels start() {
      List<RedisProcess> servers = new ArrayList<>();
      RedisSentinels set = null;
      try {
        RedisProcess master = server().start();
        servers.add(master);
        servers.add(server().arg("replicaof", master.host(), Integer.toString(master.port())).start());
        set = new RedisSentinels(masterName, servers);
        RedisSentinels started = set;
        Await.until(READY_TIMEOUT, "replica synced with its master", () -> {
          if (!"up".equals(started.client.infoField(servers.get(1), "replication", "master_link_status"))) {
            throw new Await.NotYet("the replica has not synced");
          }
          return true;
        });
        set.startSentinels(downAfter, failoverTimeout);
        return set;
      } catch (RuntimeException | Error e) {
        if (set != null) {
          set.close();
        } else {
          servers.forEach(RedisProcess::close);
        }
        throw e;
      }
    }

    private static RedisProcess.Builder server() {
      // The replica syncs at once instead of after the default 5 s wait for more replicas.
      return RedisProcess.builder().arg("repl-diskless-sync-delay", "0");
    }

    private static Duration atLeast(Duration value, long minMillis, String what) {
      Objects.requireNonNull(value, what);
      if (value.toMillis() < minMillis) {
        throw new IllegalArgumentException(what + " must be at least " + minMillis + " ms, was " + value);
      }
      return value;
    }
  }
}
