// Reads jobs and counts with the real BullMQ Queue getters.
//
// Env: REDIS_URL, QUEUE, PREFIX (default "bull"),
//      IDS  JSON array of job ids (or the first argument).
// Output: per id {"type":"job","id":...,"exists":true,"state":...,...job} or
//         {"type":"job","id":...,"exists":false,"state":"unknown"}, then
//         {"type":"counts","counts":{...getJobCounts()}}.
import { Queue } from 'bullmq';
import { connect, deadline, describeJob, disconnectAll, emit, fail, jsonEnv, optionalEnv, queueSettings } from './lib.mjs';

deadline(Number(optionalEnv('DEADLINE_MS', '20000')));

const { queueName, prefix } = queueSettings();
const ids = process.argv[2] ? JSON.parse(process.argv[2]) : jsonEnv('IDS', []);
if (!Array.isArray(ids)) {
  fail('IDS must be a JSON array of job ids');
}

// skipMetasUpdate: reading must not write the queue's meta hash.
const queue = new Queue(queueName, { connection: connect(), prefix, skipMetasUpdate: true });
try {
  for (const id of ids) {
    const job = await queue.getJob(id);
    const state = await queue.getJobState(id);
    if (job) {
      emit({ type: 'job', exists: true, state, ...describeJob(job) });
    } else {
      emit({ type: 'job', id, exists: false, state });
    }
  }
  emit({ type: 'counts', counts: await queue.getJobCounts() });
} finally {
  await queue.close();
  await disconnectAll();
}
