// Runs a list of producer operations with the real BullMQ Queue (and, for "work", a Worker), in order, on any
// number of queues, in one process: the Java tests compare the raw Redis state they leave with Bullpen's.
//
// Env: REDIS_URL, PREFIX (default "bull"), DEADLINE_MS (default 30000),
//      STEPS  JSON array of operations, each with its "queue":
//        {"op":"add","queue":q,"jobs":[{"name","data","opts"}]}    queue.add per job, in order
//        {"op":"work","queue":q,"count":n}        a Worker (concurrency 1) until n jobs completed or finally
//                                                 failed; a job throws Error("boom on attempt <k>") while its
//                                                 attempt k <= data.failAttempts, else returns {name, attempt}
//        {"op":"drain","queue":q,"delayed":bool}  queue.drain(delayed)
//        {"op":"addJobLog","queue":q,"id","line","keepLogs"}   queue.addJobLog (keepLogs null = not given)
//        {"op":"updateJobProgress","queue":q,"id","progress"}  queue.updateJobProgress
// Output: per step {"type":"added","step":s,"index":i,"id"} per job, {"type":"worked","step":s,"settled":n},
//         {"type":"drained","step":s}, {"type":"logged","step":s,"count":n}, {"type":"progressed","step":s},
//         or {"type":"rejected","step":s,"message"} when BullMQ throws; then {"type":"done","steps":n}.
import { Queue, Worker } from 'bullmq';
import { connect, deadline, disconnectAll, emit, fail, jsonEnv, optionalEnv, warn } from './lib.mjs';

deadline(Number(optionalEnv('DEADLINE_MS', '30000')));

const prefix = optionalEnv('PREFIX', 'bull');
const steps = jsonEnv('STEPS', null);
if (!Array.isArray(steps)) {
  fail('STEPS must be a JSON array of operations');
}

const connection = connect();
const queues = new Map();

function queueNamed(name) {
  if (!queues.has(name)) {
    queues.set(name, new Queue(name, { connection, prefix }));
  }
  return queues.get(name);
}

async function processJob(job) {
  const attempt = job.attemptsStarted;
  if (attempt <= (job.data?.failAttempts ?? 0)) {
    throw new Error(`boom on attempt ${attempt}`);
  }
  return { name: job.name, attempt };
}

async function work(queueName, count) {
  let settled = 0;
  let done;
  const finished = new Promise((resolve) => {
    done = resolve;
  });
  const settle = () => {
    settled += 1;
    if (settled >= count) {
      done();
    }
  };
  const worker = new Worker(queueName, processJob, { connection: connect(), prefix, concurrency: 1 });
  worker.on('error', (error) => warn(`worker error: ${error.message}`));
  worker.on('completed', settle);
  worker.on('failed', (job) => {
    if (typeof job?.finishedOn === 'number') {
      settle(); // final: no retry scheduled
    }
  });
  try {
    if (count > 0) {
      await finished;
    }
  } finally {
    await worker.close();
  }
  return settled;
}

async function run(step, index) {
  const queue = queueNamed(step.queue);
  switch (step.op) {
    case 'add':
      for (const [i, job] of step.jobs.entries()) {
        const added = await queue.add(job.name, job.data ?? {}, job.opts ?? {});
        emit({ type: 'added', step: index, index: i, id: added.id });
      }
      return;
    case 'work':
      emit({ type: 'worked', step: index, settled: await work(step.queue, step.count) });
      return;
    case 'drain':
      await queue.drain(step.delayed === true);
      emit({ type: 'drained', step: index });
      return;
    case 'addJobLog':
      emit({ type: 'logged', step: index, count: await queue.addJobLog(step.id, step.line, step.keepLogs ?? undefined) });
      return;
    case 'updateJobProgress':
      await queue.updateJobProgress(step.id, step.progress);
      emit({ type: 'progressed', step: index });
      return;
    default:
      fail(`unknown op ${step.op}`);
  }
}

try {
  for (const [index, step] of steps.entries()) {
    try {
      await run(step, index);
    } catch (error) {
      emit({ type: 'rejected', step: index, message: error.message });
    }
  }
  emit({ type: 'done', steps: steps.length });
} finally {
  await Promise.all([...queues.values()].map((queue) => queue.close()));
  await disconnectAll();
}
