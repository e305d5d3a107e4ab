package io.bullpen.redis.internal.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.bullpen.redis.internal.codec.Json;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Listens on the queue's cancel channel and cancels the attempts of this worker named in the messages
 * ({@code {"jobId", "reason", "retry"}}, published by the cancelJob script). Lettuce resubscribes after a
 * reconnect; a message missed meanwhile is not lost for good, because the job hash carries the cancel and a
 * worker fails a cancelled job when it takes it.
 */
final class CancelSubscriber implements AutoCloseable {
  private final Supplier<StatefulRedisPubSubConnection<String, String>> connector;
  private final String channel;
  private final RunningAttempts attempts;
  private final Consumer<Throwable> errors;
  private StatefulRedisPubSubConnection<String, String> connection;

  public CancelSubscriber(Supplier<StatefulRedisPubSubConnection<String, String>> connector, String channel,
      RunningAttempts attempts, Consumer<Throwable> errors) {
    this.connector = connector;
    this.channel = channel;
    this.attempts = attempts;
    this.errors = errors;
  }

  public synchronized void start() {
    if (connection != null) {
      return;
    }
    StatefulRedisPubSubConnection<String, String> conn = connector.get();
    conn.addListener(new RedisPubSubAdapter<>() {
      @Override
      public void message(String from, String message) {
        handle(message);
      }
    });
    conn.sync().subscribe(channel);
    connection = conn;
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
    if (connection != null) {
      connection.close();
      connection = null;
    }
  }
}
