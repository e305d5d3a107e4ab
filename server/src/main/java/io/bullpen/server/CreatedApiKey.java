package io.bullpen.server;

/**
 * A key just made by {@link ApiKeys#create}: its description and, this once, the secret key text to hand to its
 * user. The store keeps only a hash of {@link #secret()}; it cannot be shown again.
 */
public record CreatedApiKey(ApiKey key, String secret) {
  @Override
  public String toString() {
    return "CreatedApiKey{" + key + ", secret=<not shown>}";
  }
}
