package io.bullpen.examples.boot;

import io.bullpen.Job;
import io.bullpen.examples.boot.Thumbnails.Rendered;
import io.bullpen.examples.boot.Thumbnails.Request;
import io.bullpen.spring.boot.BullpenWorker;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** Renders thumbnails: the worker of queue {@code thumbnails}, started and stopped with the application. */
// region worker
@Component
public class ThumbnailWorker {
  private final Duration renderTime;

  public ThumbnailWorker(@Value("${thumbnails.render-time:0ms}") Duration renderTime) {
    this.renderTime = renderTime;
  }

  @BullpenWorker(queue = "thumbnails", concurrency = 4)
  public Rendered render(Request request, Job job) throws InterruptedException {
    Thread.sleep(renderTime.toMillis());  // stands in for the real work
    job.log("rendered " + request.image() + " at " + request.width() + " px");
    return new Rendered(request.image().replace(".png", "-" + request.width() + ".png"), request.width());
  }
}
// endregion
