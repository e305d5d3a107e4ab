package io.bullpen.examples.boot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot application on the Bullpen starter: {@code POST /thumbnails} adds a job, {@link ThumbnailWorker}
 * renders it, {@code GET /thumbnails/{id}} shows how it went, and {@code /actuator/health} includes Bullpen's
 * health. Redis is {@code bullpen.redis.uri} (redis://127.0.0.1:6379 unless set).
 */
// region application
@SpringBootApplication
public class ThumbnailApplication {
  public static void main(String[] args) {
    SpringApplication.run(ThumbnailApplication.class, args);
  }
}
// endregion
