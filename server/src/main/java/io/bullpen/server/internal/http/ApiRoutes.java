package io.bullpen.server.internal.http;

import io.bullpen.server.internal.api.ApiContext;
import io.bullpen.server.internal.api.JobRoutes;
import io.bullpen.server.internal.api.LeaseRoutes;
import io.bullpen.server.internal.api.QueueRoutes;
import io.bullpen.server.internal.api.SchedulerRoutes;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Every route of the API, in one list: what the server registers and what the OpenAPI document must describe. */
public final class ApiRoutes {
  /** Where the OpenAPI document is served; it is a resource checked in beside the code. */
  public static final String OPENAPI_PATH = ApiContext.BASE + "/openapi.json";
  private static final String OPENAPI_RESOURCE = "/io/bullpen/server/openapi.json";

  private ApiRoutes() {}

  public static List<Route> all(ApiContext api) {
    List<Route> routes = new ArrayList<>();
    routes.add(new Route("GET", OPENAPI_PATH, null, false, ApiRoutes::openApi));
    routes.addAll(new QueueRoutes(api).routes());
    routes.addAll(new JobRoutes(api).routes());
    routes.addAll(new SchedulerRoutes(api).routes());
    routes.addAll(new LeaseRoutes(api).routes());
    return List.copyOf(routes);
  }

  private static void openApi(Context ctx) {
    ctx.contentType("application/json");
    ctx.result(openApiDocument());
  }

  /** The OpenAPI 3.1 document, as checked in. */
  public static byte[] openApiDocument() {
    try (InputStream in = ApiRoutes.class.getResourceAsStream(OPENAPI_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("resource " + OPENAPI_RESOURCE + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
