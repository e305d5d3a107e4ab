package io.bullpen.server;

import io.bullpen.InvalidOptionException;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * An API key as the server knows it: never the secret itself, only its id (the public part of the key), a name for
 * people, the scopes it grants and the queues it may touch.
 *
 * @param id the key's public identifier, also the start of the key text ({@code bp_<id>_...})
 * @param name what the key is for, e.g. {@code billing-producer}
 * @param scopes what the key may do ({@link Scope#ADMIN} implies the rest)
 * @param queuePatterns queue names the key may touch; {@code *} matches any run of characters, so
 *     {@code ["*"]} is every queue and {@code ["mail-*"]} the queues whose name starts with {@code mail-}
 * @param createdAt when the key was made
 */
public record ApiKey(String id, String name, Set<Scope> scopes, List<String> queuePatterns, Instant createdAt) {
  private static final Pattern ID = Pattern.compile("[0-9a-f]{16}");
  private static final Pattern QUEUE_PATTERN = Pattern.compile("[^\\s:]+");

  public ApiKey {
    if (id == null || !ID.matcher(id).matches()) {
      throw new InvalidOptionException("id", id, "must be 16 lowercase hex digits");
    }
    if (name == null || name.isBlank()) {
      throw new InvalidOptionException("name", name, "must be a non-empty description of the key's use");
    }
    if (scopes == null || scopes.isEmpty()) {
      throw new InvalidOptionException("scopes", scopes, "must name at least one scope");
    }
    scopes = Set.copyOf(EnumSet.copyOf(scopes));
    if (queuePatterns == null || queuePatterns.isEmpty()) {
      throw new InvalidOptionException("queuePatterns", queuePatterns, "must name at least one pattern (* for all)");
    }
    for (String pattern : queuePatterns) {
      if (pattern == null || !QUEUE_PATTERN.matcher(pattern).matches()) {
        throw new InvalidOptionException("queuePatterns", pattern, "must be a queue name, * matching any characters");
      }
    }
    queuePatterns = List.copyOf(queuePatterns);
    if (createdAt == null) {
      throw new InvalidOptionException("createdAt", null, "is required");
    }
  }

  /** Whether the key grants {@code scope} ({@link Scope#ADMIN} grants every scope). */
  public boolean grants(Scope scope) {
    return scopes.contains(scope) || scopes.contains(Scope.ADMIN);
  }

  /** Whether the key may touch the queue named {@code queue}. */
  public boolean coversQueue(String queue) {
    for (String pattern : queuePatterns) {
      if (globMatches(pattern, queue)) {
        return true;
      }
    }
    return false;
  }

  private static boolean globMatches(String pattern, String text) {
    String regex = Arrays.stream(pattern.split("\\*", -1)).map(Pattern::quote).collect(Collectors.joining(".*"));
    return Pattern.matches(regex, text);
  }
}
