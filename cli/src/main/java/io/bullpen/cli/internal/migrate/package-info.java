/**
 * Internal: moving a queue between Redis deployments ({@code bullpen migrate}): the key copier with its prefix
 * rewriting, the progress record that makes {@code run} resumable, per-key checksums for {@code verify}, and
 * {@code rollback}. See docs/migration.md.
 */
package io.bullpen.cli.internal.migrate;
