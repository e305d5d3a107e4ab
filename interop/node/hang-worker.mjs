// A BullMQ worker that takes jobs and never finishes them, so a Java test can kill it (SIGKILL) mid-job.
//
// Env: REDIS_URL, QUEUE, PREFIX (default "bull"), CONCURRENCY (default 1),
//      WORKER_OPTS extra Worker options as JSON (e.g. {"lockDuration":1000}).
// Output: {"type":"ready"} once the worker runs, then {"type":"started","id":...} for each job it takes.
// It has no deadline of its own: the test that starts it kills it.
import { Worker } from 'bullmq';
import { connect, emit, jsonEnv, optionalEnv, queueSettings, warn } from './lib.mjs';

const { queueName, prefix } = queueSettings();
const worker = new Worker(queueName, async (job) => {
  emit({ type: 'started', id: job.id });
  await new Promise(() => {});
}, {
  ...jsonEnv('WORKER_OPTS', {}),
  connection: connect(),
  prefix,
  concurrency: Number(optionalEnv('CONCURRENCY', '1')),
});
worker.on('error', (error) => warn(`worker error: ${error.message}`));
await worker.waitUntilReady();
emit({ type: 'ready' });
