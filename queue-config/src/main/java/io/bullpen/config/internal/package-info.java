/** Internal: reading TOML text and finding the line of each key. May change in any release. */
package io.bullpen.config.internal;
