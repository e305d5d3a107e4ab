package io.bullpen.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.bullpen.testkit.RedisTest;
import io.bullpen.testkit.RunningRedis;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The served OpenAPI document describes exactly the routes the server registers, with their scopes. */
@RedisTest
class OpenApiTest {
  private static TestServer t;
  private static JsonNode doc;

  @BeforeAll
  static void start(RunningRedis redis) {
    t = new TestServer(redis, b -> b.queues("mail"));
    Http.Response r = t.http.as(null).get("/api/v1/openapi.json");
    assertEquals(200, r.status());
    doc = r.json();
  }

  @AfterAll
  static void stop() {
    t.close();
  }

  private static Map<String, String> documented() {
    Map<String, String> scopes = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
      Map.Entry<String, JsonNode> path = paths.next();
      path.getValue().fields().forEachRemaining(op -> scopes.put(op.getKey().toUpperCase(Locale.ROOT) + " "
          + path.getKey(), op.getValue().path("x-bullpen-scope").asText("none")));
    }
    return scopes;
  }

  @Test
  void documentsEveryRegisteredRouteAndNoOther() {
    assertEquals(new TreeSet<>(t.server.routes()), documented().keySet());
  }

  @Test
  void documentsTheScopeEachRouteChecks() {
    // A route's scope is what a key needs: a read-only key is refused every route documented as not "read".
    Http readOnly = t.http.as(t.key(Set.of(Scope.READ), "*"));
    List<String> wrong = new ArrayList<>();
    documented().forEach((route, scope) -> {
      String[] parts = route.split(" ", 2);
      String path = parts[1].replace("{queue}", "mail").replace("{id}", "1");
      Http.Response r = readOnly.raw(parts[0], path, "application/json", parts[0].equals("GET") ? "" : "{}");
      boolean refused = r.status() == 403;
      if (refused != !(scope.equals("read") || scope.equals("none"))) {
        wrong.add(route + " documented as " + scope + " but a read key got " + r.status());
      }
    });
    assertEquals(List.of(), wrong);
  }

  @Test
  void everyDocumentedRouteIsServed() {
    for (String route : documented().keySet()) {
      String[] parts = route.split(" ", 2);
      String path = parts[1].replace("{queue}", "mail").replace("{id}", "1");
      Http.Response r = t.http.raw(parts[0], path, "application/json", parts[0].equals("GET") ? "" : "{}");
      assertNotEquals("not_found", r.errorCode(), route + ": " + r);
      assertTrue(r.status() < 500, route + ": " + r);
    }
  }

  @Test
  void everyReferencedSchemaExists() {
    Set<String> refs = new TreeSet<>();
    doc.findValues("$ref").forEach(ref -> refs.add(ref.asText()));
    for (String ref : refs) {
      String[] parts = ref.substring(2).split("/");
      JsonNode target = doc;
      for (String part : parts) {
        target = target.path(part);
      }
      assertTrue(target.isObject(), "dangling " + ref);
    }
  }
}
