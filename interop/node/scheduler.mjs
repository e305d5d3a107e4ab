// Upserts or removes a job scheduler with the real BullMQ Queue.
//
// Env: REDIS_URL, QUEUE, PREFIX (default "bull"),
//      SCHEDULER_ID  the scheduler id,
//      REPEAT        JSON repeat options ({"every": ms} or {"pattern": ..., "tz": ...}, limit, offset, ...);
//                    absent or "remove" in ACTION removes the scheduler instead,
//      TEMPLATE      JSON {"name", "data", "opts"} (optional),
//      ACTION        "upsert" (default) or "remove".
// Output: {"type":"upserted","id":<first run's job id>,"delay":...} or {"type":"removed","removed":bool},
//         then {"type":"scheduler",...} as getJobScheduler reads it, then {"type":"done"}.
import { Queue } from 'bullmq';
import { connect, deadline, disconnectAll, emit, jsonEnv, optionalEnv, queueSettings, requireEnv } from './lib.mjs';

deadline(Number(optionalEnv('DEADLINE_MS', '20000')));

const { queueName, prefix } = queueSettings();
const schedulerId = requireEnv('SCHEDULER_ID');
const action = optionalEnv('ACTION', 'upsert');
const queue = new Queue(queueName, { connection: connect(), prefix });
try {
  if (action === 'remove') {
    emit({ type: 'removed', removed: await queue.removeJobScheduler(schedulerId) });
  } else {
    const job = await queue.upsertJobScheduler(schedulerId, jsonEnv('REPEAT', {}), jsonEnv('TEMPLATE', undefined));
    emit({ type: 'upserted', id: job.id, delay: job.delay, opts: job.opts });
  }
  const scheduler = await queue.getJobScheduler(schedulerId);
  emit({ type: 'scheduler', ...(scheduler ?? {}) });
} finally {
  await queue.close();
  await disconnectAll();
}
emit({ type: 'done' });
