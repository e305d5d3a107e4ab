package io.bullpen.examples.boot;

/** The sample's job data and result, stored as JSON by Bullpen's own mapper (not the application's). */
public final class Thumbnails {
  private Thumbnails() {}

  /** What a job asks for. */
  public record Request(String image, int width) {}

  /** What a job returns. */
  public record Rendered(String thumbnail, int width) {}
}
