/**
 * The {@code bullpen} command line: {@link io.bullpen.cli.Bullpen} is its entry point; the commands and their
 * helpers live in {@code io.bullpen.cli.internal} (see {@code docs/cli.md}).
 */
package io.bullpen.cli;
