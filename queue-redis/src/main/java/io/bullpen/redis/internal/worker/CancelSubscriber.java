package io.bullpen.redis.internal.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.bullpen.redis.internal.codec.Json;
import io.bullpen.redis.internal.connection.ConnectionScope;
import java.util.function.Consumer;

/**
 * Listens on the queue's cancel channel and cancels the attempts of this worker named in the messages
 * ({@code {"jobId", "reason", "retry"}}, published by the cancelJob script). Lettuce resubscribes after a
 * reconnect; a message missed meanwhile is not lost for good, because the job hash carries the cancel and a
 * worker fails a cancelled job when it takes it.
 */
final class CancelSubscriber implements AutoCloseable {
  private final ConnectionScope connections;
  private final String channel;
  private final RunningAttempts attempts;
  private final Consumer<Throwable> errors;
  private AutoCloseable subscription;

  public CancelSubscriber(ConnectionScope connections, String channel, RunningAttempts attempts,
      Consumer<Throwable> errors) {
    this.connections = connections;
    this.channel = channel;
    this.attempts = attempts;
    this.errors = errors;
  }

  /** Subscribes on the connector's shared publish/subscribe connection. */
  public synchronized void start() {
    if (subscription == null) {
      subscription = connections.subscribe(channel, this::handle);
    }
  }

  private void handle(String message) {
    try {
      JsonNode node = Json.MAPPER.readTree(message);
      attempts.cancelPublished(node.path("jobId").asText(), node.path("reason").asText("cancelled"),
          node.path("retry").asBoolean(false));
    } catch (Exception e) {
      errors.accept(e);
    }
  }

  @Override
  public synchronized void close() {
    if (subscription != null) {
      try {
        subscription.close();
      } catch (Exception e) {
        errors.accept(e);
      }
      subscription = null;
    }
  }
}
