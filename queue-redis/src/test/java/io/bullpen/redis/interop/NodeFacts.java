package io.bullpen.redis.interop;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.bullpen.redis.internal.codec.Json;
import java.util.ArrayList;
import java.util.List;

/** The JSON lines one run of a Node script printed, one fact per line (see interop/node/*.mjs). */
final class NodeFacts {
  private final String script;
  private final List<JsonNode> facts;

  private NodeFacts(String script, List<JsonNode> facts) {
    this.script = script;
    this.facts = facts;
  }

  static NodeFacts parse(String script, List<String> lines) {
    List<JsonNode> facts = new ArrayList<>();
    for (String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      try {
        facts.add(Json.MAPPER.readTree(line));
      } catch (JsonProcessingException e) {
        throw new AssertionError(script + " printed a line that is not JSON: " + line, e);
      }
    }
    NodeFacts parsed = new NodeFacts(script, List.copyOf(facts));
    if (!parsed.ofType("timeout").isEmpty()) {
      throw new AssertionError(script + " gave up waiting: " + parsed);
    }
    return parsed;
  }

  /** Every fact of one type, in the order printed. */
  List<JsonNode> ofType(String type) {
    return facts.stream().filter(f -> type.equals(f.path("type").asText())).toList();
  }

  /** The facts of one step of queue-ops.mjs ({@link NodeSteps}), in the order printed. */
  List<JsonNode> ofStep(int step) {
    return facts.stream().filter(f -> f.has("step") && f.path("step").asInt() == step).toList();
  }

  /** The one fact of a type; fails when there is none or several. */
  JsonNode single(String type) {
    List<JsonNode> found = ofType(type);
    if (found.size() != 1) {
      throw new AssertionError("expected one '" + type + "' fact from " + script + ", got " + found.size()
          + ": " + this);
    }
    return found.get(0);
  }

  /** The {@code job} fact of the reader for one id. */
  JsonNode job(String id) {
    return ofType("job").stream()
        .filter(f -> id.equals(f.path("id").asText()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("reader printed no job " + id + ": " + this));
  }

  /** The events a QueueEvents listener printed, optionally only those of one name. */
  List<JsonNode> events(String eventName) {
    return ofType("event").stream().filter(f -> eventName.equals(f.path("event").asText())).toList();
  }

  /** Events of one name for one job. */
  List<JsonNode> events(String eventName, String jobId) {
    return events(eventName).stream().filter(f -> jobId.equals(f.path("jobId").asText())).toList();
  }

  /** Every event for one job, in stream order. */
  List<JsonNode> eventsFor(String jobId) {
    return ofType("event").stream().filter(f -> jobId.equals(f.path("jobId").asText())).toList();
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(script).append(" printed:");
    facts.forEach(f -> s.append("\n  ").append(f));
    return s.toString();
  }
}
