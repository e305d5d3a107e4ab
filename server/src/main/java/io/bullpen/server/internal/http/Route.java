package io.bullpen.server.internal.http;

import io.bullpen.server.Scope;
import io.javalin.http.Handler;

/**
 * One API route: method, Javalin path ({@code /api/v1/queues/{queue}}), the scope a key needs (null: no key needed)
 * and whether it changes the queue (so the read cache's version moves after it).
 */
public record Route(String method, String path, Scope scope, boolean writes, Handler handler) {}
