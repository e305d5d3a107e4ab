// Runs one real BullMQ Worker per queue of a flow until every queue has been idle for a while.
//
// Env: REDIS_URL, PREFIX (default "bull"),
//      QUEUES       JSON array of queue names,
//      CONCURRENCY  per worker (default 16),
//      IDLE_MS      stop once wait, active, delayed and prioritized stayed empty this long (default 400),
//      DEADLINE_MS  hard limit (default 30000).
// What a job does is driven by its data (the Java side's FlowScript does the same):
//      waitFor  [{"queue","id","states":[...]}]: first wait, in order, until each job is in one of the states,
//      fail     throw Error(fail),
//      report   return {"values": getChildrenValues(), "ignored": getFailedChildrenValues()},
//      result   else return this (default null).
// Output: {"type":"completed","queue","id","returnvalue"} and {"type":"failed","queue","id","failedReason",
//         "final"} per outcome, then {"type":"done"}.
import { Queue, Worker } from 'bullmq';
import { connect, deadline, disconnectAll, emit, jsonEnv, optionalEnv, sleep, warn } from './lib.mjs';

deadline(Number(optionalEnv('DEADLINE_MS', '30000')));

const prefix = optionalEnv('PREFIX', 'bull');
const queueNames = jsonEnv('QUEUES', []);
const concurrency = Number(optionalEnv('CONCURRENCY', '16'));
const idleMs = Number(optionalEnv('IDLE_MS', '400'));

const connection = connect();
const queues = new Map(queueNames.map((name) => [name, new Queue(name, { connection, prefix })]));

async function waitForState(target) {
  const queue = queues.get(target.queue) ?? new Queue(target.queue, { connection, prefix });
  const until = Date.now() + 15000;
  while (!target.states.includes(await queue.getJobState(target.id))) {
    if (Date.now() > until) {
      throw new Error(`gave up waiting for ${target.queue}/${target.id} to be in ${target.states}`);
    }
    await sleep(20);
  }
}

async function processJob(job) {
  const data = job.data ?? {};
  for (const target of data.waitFor ?? []) {
    await waitForState(target);
  }
  if (data.fail) {
    throw new Error(data.fail);
  }
  if (data.report) {
    return { values: await job.getChildrenValues(), ignored: await job.getFailedChildrenValues() };
  }
  return data.result !== undefined ? data.result : null;
}

const workers = queueNames.map((name) => {
  const worker = new Worker(name, processJob, { connection: connect(), prefix, concurrency });
  worker.on('error', (error) => warn(`worker ${name} error: ${error.message}`));
  worker.on('completed', (job, returnvalue) => emit({ type: 'completed', queue: name, id: job.id, returnvalue: returnvalue ?? null }));
  worker.on('failed', (job, error) => emit({ type: 'failed', queue: name, id: job?.id, failedReason: error.message, final: typeof job?.finishedOn === 'number' }));
  return worker;
});

async function busy() {
  for (const queue of queues.values()) {
    const counts = await queue.getJobCounts('wait', 'active', 'delayed', 'prioritized');
    if (counts.wait + counts.active + counts.delayed + counts.prioritized > 0) {
      return true;
    }
  }
  return false;
}

try {
  let idleSince = null;
  while (idleSince === null || Date.now() - idleSince < idleMs) {
    await sleep(50);
    if (await busy()) {
      idleSince = null;
    } else if (idleSince === null) {
      idleSince = Date.now();
    }
  }
} finally {
  await Promise.all(workers.map((w) => w.close()));
  await Promise.all([...queues.values()].map((q) => q.close()));
  await disconnectAll();
}
emit({ type: 'done' });
