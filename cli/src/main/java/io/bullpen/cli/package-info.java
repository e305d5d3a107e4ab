/**
 * The {@code bullpen} command line: {@link io.bullpen.cli.Bullpen} is its entry point; the commands and their
 * helpers live in {@code io.bullpen.cli.internal} (see {@code docs/cli.md}).
 *
 * <p><b>No module descriptor.</b> The CLI depends on {@code server} (its {@code ApiKeys} and {@code [server]} table),
 * which has none (see {@code io.bullpen.server}'s package documentation); and the CLI is run from its own jar
 * ({@code cli/target/bullpen.jar}), on the class path, where a descriptor would change nothing. Picocli would need
 * {@code opens io.bullpen.cli.internal to info.picocli} for its annotated fields.
 */
package io.bullpen.cli;
