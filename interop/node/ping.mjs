// Smoke check for the Node side of the interop tests: can BullMQ reach the
// Redis named by REDIS_URL? Prints exactly one JSON line on stdout.
import { readFileSync } from 'node:fs';
import { Queue } from 'bullmq';

// Read the version from the installed package rather than trusting package.json,
// so the Java side sees what is actually on disk.
const bullmqPackage = JSON.parse(
  readFileSync(new URL('./node_modules/bullmq/package.json', import.meta.url), 'utf8'),
);

/** Turns redis://[user:password@]host:port[/db] into BullMQ connection options. */
function connectionFromUrl(text) {
  if (!text) {
    throw new Error('REDIS_URL is not set');
  }
  const url = new URL(text);
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new Error(`REDIS_URL must start with redis:// or rediss://, got ${url.protocol}`);
  }
  if (!url.port) {
    // No silent default: Bullpen tooling always passes an explicit port.
    throw new Error('REDIS_URL must name a port');
  }
  const connection = {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: Number(url.port),
    // Fail fast instead of retrying forever when Redis is not there.
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  };
  if (url.username) connection.username = decodeURIComponent(url.username);
  if (url.password) connection.password = decodeURIComponent(url.password);
  const db = url.pathname.replace(/^\//, '');
  if (db) connection.db = Number(db);
  if (url.protocol === 'rediss:') connection.tls = {};
  return connection;
}

// skipMetasUpdate: a ping must not write the queue's meta hash, because
// REDIS_URL may point at a Redis we do not own.
const queue = new Queue('bullpen-ping', {
  connection: connectionFromUrl(process.env.REDIS_URL),
  skipMetasUpdate: true,
});
// A failed connection is also emitted as an 'error' event; without a listener
// Node would print it as unhandled noise. The awaited calls below still reject.
queue.on('error', () => {});
try {
  await queue.waitUntilReady();
  const client = await queue.getBackend().client;
  const reply = await client.ping();
  if (reply !== 'PONG') {
    throw new Error(`unexpected PING reply: ${reply}`);
  }
  process.stdout.write(JSON.stringify({ ok: true, version: bullmqPackage.version }) + '\n');
} finally {
  await queue.close();
}
