package io.bullpen.examples.boot;

import io.bullpen.Job;
import io.bullpen.examples.boot.Thumbnails.Rendered;
import io.bullpen.examples.boot.Thumbnails.Request;
import io.bullpen.redis.Queue;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The sample's REST endpoint: adds thumbnail jobs and reports on them. */
// region controller
@RestController
public class ThumbnailController {
  private final Queue thumbnails;

  public ThumbnailController(@Qualifier("thumbnails") Queue thumbnails) {
    this.thumbnails = thumbnails;
  }

  @PostMapping("/thumbnails")
  public Map<String, String> add(@RequestBody Request request) {
    Job job = thumbnails.add("render", request);
    return Map.of("id", job.id());
  }

  @GetMapping("/thumbnails/{id}")
  public ResponseEntity<Map<String, Object>> get(@PathVariable("id") String id) {
    return thumbnails.getJob(id).map(job -> {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("state", job.state().wireName());
      job.returnValue(Rendered.class).ifPresent(rendered -> body.put("thumbnail", rendered.thumbnail()));
      return ResponseEntity.ok(body);
    }).orElse(ResponseEntity.notFound().build());
  }
}
// endregion
