// Adds jobs with the real BullMQ Queue, in the order given.
//
// Env: REDIS_URL, QUEUE, PREFIX (default "bull"),
//      JOBS  JSON array of {"name": ..., "data": {...}, "opts": {...}} (or the first argument),
//      BULK  "true" to add them with one addBulk call instead of one add per job.
// Output: one {"type":"added","index":i,"id":...,"name":...} line per job, or
//         {"type":"rejected","index":i,"message":...} when BullMQ refuses the job,
//         then {"type":"done","count":n}.
import { Queue } from 'bullmq';
import { connect, deadline, disconnectAll, emit, fail, jsonEnv, optionalEnv, queueSettings } from './lib.mjs';

deadline(Number(optionalEnv('DEADLINE_MS', '20000')));

const { queueName, prefix } = queueSettings();
const specs = process.argv[2] ? JSON.parse(process.argv[2]) : jsonEnv('JOBS', null);
if (!Array.isArray(specs)) {
  fail('JOBS must be a JSON array of {name, data, opts}');
}

const queue = new Queue(queueName, { connection: connect(), prefix });
try {
  if (optionalEnv('BULK', 'false') === 'true') {
    const jobs = await queue.addBulk(specs.map((s) => ({ name: s.name, data: s.data ?? {}, opts: s.opts ?? {} })));
    jobs.forEach((job, index) => emit({ type: 'added', index, id: job.id, name: job.name }));
  } else {
    for (const [index, spec] of specs.entries()) {
      try {
        const job = await queue.add(spec.name, spec.data ?? {}, spec.opts ?? {});
        emit({ type: 'added', index, id: job.id, name: job.name });
      } catch (error) {
        emit({ type: 'rejected', index, message: error.message });
      }
    }
  }
  emit({ type: 'done', count: specs.length });
} finally {
  await queue.close();
  await disconnectAll();
}
