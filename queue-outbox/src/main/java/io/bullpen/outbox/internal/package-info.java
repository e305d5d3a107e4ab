/** Internal: may change without notice. The SQL, the stored options format and the relay's loops. */
package io.bullpen.outbox.internal;
