// BullMQ's per-minute job metrics, read or written by the real BullMQ.
//
// Env: REDIS_URL, QUEUE, PREFIX (default "bull"),
//      ACTION  "read" (default): queue.getMetrics for both types, START (default 0) to END (default -1);
//              "work": a Worker with metrics {maxDataPoints: MAX_DATA_POINTS} until COUNT jobs have finished
//              (a job whose data has fail: true throws; attempts come from its options).
// Output: read: {"type":"metrics","metricsType":"completed"|"failed",...getMetrics()} for each type;
//         work: {"type":"finished","id":...,"failed":bool} per job; then {"type":"done"}.
import { Queue, Worker } from 'bullmq';
import { connect, deadline, disconnectAll, emit, optionalEnv, queueSettings } from './lib.mjs';

deadline(Number(optionalEnv('DEADLINE_MS', '20000')));

const { queueName, prefix } = queueSettings();
const action = optionalEnv('ACTION', 'read');

if (action === 'read') {
  const queue = new Queue(queueName, { connection: connect(), prefix, skipMetasUpdate: true });
  try {
    const start = Number(optionalEnv('START', '0'));
    const end = Number(optionalEnv('END', '-1'));
    for (const type of ['completed', 'failed']) {
      emit({ type: 'metrics', metricsType: type, ...(await queue.getMetrics(type, start, end)) });
    }
  } finally {
    await queue.close();
  }
} else {
  const count = Number(optionalEnv('COUNT', '1'));
  let finished = 0;
  let worker;
  const done = new Promise((resolve) => {
    worker = new Worker(queueName, async (job) => {
      if (job.data && job.data.fail) {
        throw new Error('asked to fail');
      }
      return 'ok';
    }, {
      connection: connect(), prefix,
      metrics: { maxDataPoints: Number(optionalEnv('MAX_DATA_POINTS', '60')) },
    });
    const settle = (job, failed) => {
      emit({ type: 'finished', id: job.id, failed });
      finished += 1;
      if (finished >= count) {
        resolve();
      }
    };
    worker.on('completed', (job) => settle(job, false));
    worker.on('failed', (job) => {
      if (job && job.attemptsMade >= (job.opts.attempts || 1)) {
        settle(job, true);
      }
    });
  });
  await done;
  await worker.close();
}
emit({ type: 'done' });
await disconnectAll();
