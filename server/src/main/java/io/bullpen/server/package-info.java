/**
 * The Bullpen server: {@link io.bullpen.server.BullpenServer} (HTTP API, dashboard, cached read side),
 * {@link io.bullpen.server.ServerOptions}, {@link io.bullpen.server.ServerSettings} (its {@code [server]} table of
 * {@code bullpen.toml}), {@link io.bullpen.server.ApiKeys}, and {@link io.bullpen.server.ServerMain}, the entry point
 * of {@code server/target/bullpen-server.jar}. Internals live in {@code io.bullpen.server.internal.*}.
 *
 * <p><b>No module descriptor, on purpose.</b> Javalin 7, Jetty 12, Jackson and Caffeine are explicit modules, but
 * {@code ServerMain} starts the try-out's embedded Redis through {@code queue-testkit}, which has no descriptor
 * (Testcontainers, which it uses, has neither a descriptor nor an {@code Automatic-Module-Name}), so a descriptor
 * here would have to require a name derived from a jar's file name, which changes with the file. Moving the
 * embedded-Redis start into a module of its own would lift that; until then the server runs on the class path
 * (its jar, or an application's), as the tests do, and the CLI, which depends on it, has no descriptor either.
 */
package io.bullpen.server;
