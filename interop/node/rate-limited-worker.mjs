// A real BullMQ worker without a limiter of its own, for a queue whose global rate limit (meta max/duration)
// is set by Bullpen: it must obey that limit together with the Java workers sharing the queue.
//
// Env: REDIS_URL, QUEUE, PREFIX (default "bull"), NAME (worker name, written to each job as `pb`),
//      CONCURRENCY (default 4), COUNT (stop once the queue has this many completed jobs), SECONDS (at most,
//      default 20).
// Output: {"type":"ready"}, then {"type":"done","processed":n} (jobs this worker completed).
import { Queue, Worker } from 'bullmq';
import { connect, deadline, disconnectAll, emit, optionalEnv, queueSettings, sleep, warn } from './lib.mjs';

const seconds = Number(optionalEnv('SECONDS', '20'));
deadline(seconds * 1000 + 10000);
const { queueName, prefix } = queueSettings();
const count = Number(optionalEnv('COUNT', 'Infinity'));

let processed = 0;
const worker = new Worker(queueName, async () => {
  processed += 1;
  return 'node';
}, {
  connection: connect(),
  prefix,
  name: optionalEnv('NAME', 'node-worker'),
  concurrency: Number(optionalEnv('CONCURRENCY', '4')),
  drainDelay: 1,
});
worker.on('error', (error) => warn(`worker error: ${error.message}`));
await worker.waitUntilReady();
emit({ type: 'ready' });

const queue = new Queue(queueName, { connection: connect(), prefix });
const started = Date.now();
while (Date.now() - started < seconds * 1000) {
  const counts = await queue.getJobCounts('completed');
  if (counts.completed >= count) {
    break;
  }
  await sleep(50);
}
await worker.close();
await queue.close();
emit({ type: 'done', processed });
await disconnectAll();
