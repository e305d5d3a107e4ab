// Interop check for Bullpen's Queue: a real BullMQ Worker processes jobs a Java producer added.
// Env: REDIS_URL (with port), QUEUE (name), COUNT (jobs to process before exiting), PREFIX (optional).
// Prints one JSON line {counts, paused} read through BullMQ's Queue before processing, then one JSON line per
// processed job, in processing order: {id, name, data, opts, priority, delay, timestamp}.
import { Queue, Worker } from 'bullmq';
import { connect, disconnectAll } from './lib.mjs';

const queueName = process.env.QUEUE;
const expected = Number(process.env.COUNT);
const prefix = process.env.PREFIX || 'bull';
const connection = connect();

// skipMetasUpdate: the Java side owns meta.version for this queue.
const queue = new Queue(queueName, { connection, prefix, skipMetasUpdate: true });
queue.on('error', () => {});
const counts = await queue.getJobCounts('wait', 'prioritized', 'delayed', 'active', 'completed', 'failed');
const paused = await queue.isPaused();
process.stdout.write(JSON.stringify({ counts, paused }) + '\n');

let seen = 0;
let finish;
const done = new Promise((resolve) => { finish = resolve; });
const worker = new Worker(queueName, async (job) => {
  process.stdout.write(JSON.stringify({
    id: job.id, name: job.name, data: job.data, opts: job.opts, priority: job.priority, delay: job.delay,
    timestamp: job.timestamp,
  }) + '\n');
  seen += 1;
  if (seen >= expected) finish();
  return { processedBy: 'node', name: job.name };
}, { connection, prefix, concurrency: 1, drainDelay: 1 });
worker.on('error', (err) => process.stderr.write(`worker error: ${err}\n`));

const timer = setTimeout(() => {
  process.stderr.write(`timed out after ${seen} of ${expected} jobs\n`);
  process.exit(2);
}, 20000);
await done;
clearTimeout(timer);
// Let the last job's completion be written before closing.
await new Promise((resolve) => setTimeout(resolve, 200));
await worker.close();
await queue.close();
await disconnectAll();
