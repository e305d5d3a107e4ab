// Shared plumbing for the interop scripts: configuration from the environment,
// the Redis connection, JSON-line output and a hard deadline so that a script
// never hangs the Java test that runs it.
import IORedis from 'ioredis';

/** Reads a required environment variable, failing loudly when it is missing. */
export function requireEnv(name) {
  const value = process.env[name];
  if (value === undefined || value === '') {
    fail(`environment variable ${name} is not set`);
  }
  return value;
}

/** Reads an optional environment variable. */
export function optionalEnv(name, fallback) {
  const value = process.env[name];
  return value === undefined || value === '' ? fallback : value;
}

/** Reads an optional environment variable holding JSON. */
export function jsonEnv(name, fallback) {
  const text = process.env[name];
  if (text === undefined || text === '') {
    return fallback;
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    fail(`environment variable ${name} is not valid JSON: ${error.message}`);
  }
}

/** Queue name, prefix and connection settings shared by every script. */
export function queueSettings() {
  return {
    queueName: requireEnv('QUEUE'),
    prefix: optionalEnv('PREFIX', 'bull'),
  };
}

const connections = [];

const CLUSTER_SCHEME = 'redis-cluster://';

/**
 * The seed nodes of a Bullpen cluster URI, redis-cluster://h1:p1,h2:p2,..., as ioredis's Cluster
 * takes them; null for any other URI.
 */
export function clusterNodes(url) {
  if (!url.startsWith(CLUSTER_SCHEME)) {
    return null;
  }
  return url.slice(CLUSTER_SCHEME.length).split(/[/?]/)[0].split(',').map((hostPort) => {
    const at = hostPort.lastIndexOf(':');
    if (at < 0) {
      fail(`cluster node '${hostPort}' in REDIS_URL must name a port`);
    }
    return { host: hostPort.slice(0, at).replace(/^\[(.*)\]$/, '$1'), port: Number(hostPort.slice(at + 1)) };
  });
}

/**
 * A fresh ioredis connection to REDIS_URL: an ioredis Cluster for redis-cluster:// (BullMQ takes
 * one as its connection; queue names or the prefix must then carry a hash tag), else a plain
 * connection. BullMQ needs maxRetriesPerRequest null for blocking commands; retries are cut short
 * so a missing Redis fails the script quickly.
 */
export function connect() {
  const url = requireEnv('REDIS_URL');
  const retryStrategy = (times) => (times > 3 ? null : 100);
  const nodes = clusterNodes(url);
  const connection = nodes
    ? new IORedis.Cluster(nodes, {
      redisOptions: { maxRetriesPerRequest: null },
      clusterRetryStrategy: retryStrategy,
    })
    : new IORedis(url, { maxRetriesPerRequest: null, retryStrategy });
  connection.on('error', (error) => warn(`redis: ${error.message}`));
  connections.push(connection);
  return connection;
}

/** Closes every connection handed out by connect(). */
export async function disconnectAll() {
  await Promise.all(connections.map((c) => c.quit().catch(() => c.disconnect())));
}

/** Prints one fact as a JSON line on stdout (the channel the Java test reads). */
export function emit(fact) {
  process.stdout.write(JSON.stringify(fact) + '\n');
}

/** Diagnostics go to stderr so they never disturb the facts on stdout. */
export function warn(message) {
  process.stderr.write(`${message}\n`);
}

export function fail(message) {
  warn(`error: ${message}`);
  process.exit(2);
}

/**
 * Kills the script after `ms` milliseconds. Prints a `timeout` fact first so the Java side
 * can tell "gave up waiting" from "crashed". unref() lets a finished script exit earlier.
 */
export function deadline(ms) {
  const timer = setTimeout(() => {
    emit({ type: 'timeout', afterMs: ms });
    process.exit(3);
  }, ms);
  timer.unref();
  return timer;
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A job as Node's BullMQ sees it, reduced to the fields the Java tests compare. */
export function describeJob(job) {
  return {
    id: job.id,
    name: job.name,
    data: job.data,
    opts: job.opts,
    attemptsMade: job.attemptsMade,
    attemptsStarted: job.attemptsStarted,
    progress: job.progress,
    returnvalue: job.returnvalue ?? null,
    failedReason: job.failedReason ?? null,
    stacktrace: job.stacktrace ?? [],
    timestamp: job.timestamp,
    processedOn: job.processedOn ?? null,
    finishedOn: job.finishedOn ?? null,
    delay: job.delay,
    priority: job.priority,
  };
}
