/** Internal: the commands of the CLI, its output (tables, JSON, progress), and its Redis session. */
package io.bullpen.cli.internal;
