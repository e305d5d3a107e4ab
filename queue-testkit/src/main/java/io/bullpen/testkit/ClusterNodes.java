package io.bullpen.testkit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One node's view of the cluster, parsed from its {@code CLUSTER NODES} reply: who is there, who is master of
 * whom, which flags each has, and who owns which slots.
 */
final class ClusterNodes {
  static final int SLOTS = 16384;

  /** One line: {@code <id> <ip:port@cport[,hostname]> <flags> <master> <ping> <pong> <epoch> <link> <slots...>}. */
  record Node(String id, int port, Set<String> flags, String masterId, List<int[]> slotRanges) {
    boolean isMaster() {
      return flags.contains("master");
    }

    /** Flagged {@code fail} or {@code fail?} (suspected). */
    boolean isFailing() {
      return flags.contains("fail") || flags.contains("fail?");
    }

    /** Still being introduced ({@code handshake}) or without a known address ({@code noaddr}). */
    boolean isJoining() {
      return flags.contains("handshake") || flags.contains("noaddr");
    }
  }

  private final List<Node> nodes;
  /** Start of each owned slot range → "end owner-id", sorted: equal strings mean equal slot maps. */
  private final TreeMap<Integer, String> slotMap = new TreeMap<>();

  private ClusterNodes(List<Node> nodes) {
    this.nodes = List.copyOf(nodes);
    for (Node node : nodes) {
      for (int[] range : node.slotRanges()) {
        slotMap.put(range[0], range[1] + " " + node.id());
      }
    }
  }

  static ClusterNodes parse(String reply) {
    List<Node> nodes = new ArrayList<>();
    for (String line : reply.split("\r?\n")) {
      if (line.isBlank()) {
        continue;
      }
      String[] parts = line.trim().split(" ");
      String address = parts[1];
      String hostPort = address.substring(0, address.indexOf('@') >= 0 ? address.indexOf('@') : address.length());
      int port = Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
      List<int[]> ranges = new ArrayList<>();
      for (int i = 8; i < parts.length; i++) {
        if (parts[i].startsWith("[")) {
          continue;   // a slot being migrated or imported: not owned yet
        }
        int dash = parts[i].indexOf('-');
        int start = Integer.parseInt(dash < 0 ? parts[i] : parts[i].substring(0, dash));
        int end = dash < 0 ? start : Integer.parseInt(parts[i].substring(dash + 1));
        ranges.add(new int[] {start, end});
      }
      nodes.add(new Node(parts[0], port, Set.of(parts[2].split(",")), parts[3], ranges));
    }
    return new ClusterNodes(nodes);
  }

  List<Node> nodes() {
    return nodes;
  }

  /** The node that gave this view. */
  Node myself() {
    return nodes.stream().filter(n -> n.flags().contains("myself")).findFirst()
        .orElseThrow(() -> new IllegalStateException("CLUSTER NODES without a 'myself' line"));
  }

  /** Whether every slot has an owner. */
  boolean coversAllSlots() {
    int next = 0;
    for (Map.Entry<Integer, String> range : slotMap.entrySet()) {
      if (range.getKey() != next) {
        return false;
      }
      next = Integer.parseInt(range.getValue().substring(0, range.getValue().indexOf(' '))) + 1;
    }
    return next == SLOTS;
  }

  /** The id of the master owning {@code slot}, or null if none does. */
  String ownerOf(int slot) {
    Map.Entry<Integer, String> range = slotMap.floorEntry(slot);
    if (range == null) {
      return null;
    }
    String[] endAndOwner = range.getValue().split(" ");
    return slot <= Integer.parseInt(endAndOwner[0]) ? endAndOwner[1] : null;
  }

  /** The first slot {@code nodeId} owns, or -1. */
  int firstSlotOf(String nodeId) {
    return slotMap.entrySet().stream().filter(e -> e.getValue().endsWith(" " + nodeId))
        .mapToInt(Map.Entry::getKey).findFirst().orElse(-1);
  }

  /** A canonical form of who owns which slots: two views agree on the slot map iff these are equal. */
  String slotMap() {
    return slotMap.toString();
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    for (Node node : nodes) {
      out.append(node.port()).append(' ').append(node.flags()).append(' ')
          .append(node.slotRanges().stream().map(Arrays::toString).toList()).append("; ");
    }
    return out.toString();
  }
}
