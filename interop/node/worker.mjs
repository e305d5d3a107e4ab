// Processes jobs with the real BullMQ Worker until COUNT jobs have settled, then closes.
//
// Env: REDIS_URL, QUEUE, PREFIX (default "bull"),
//      COUNT        jobs to settle (completed, or failed with no retry left) before closing,
//      CONCURRENCY  default 1 (so the processing order is the fetch order),
//      WORKER_OPTS  extra Worker options as JSON (e.g. {"name":"node-w"}),
//      DEADLINE_MS  hard limit (default 30000).
// What a job does is driven by its data, so a Java producer can script it:
//      progress     array of values passed to updateProgress, in order,
//      logs         array of lines passed to job.log, in order,
//      failAttempts the first n attempts throw Error("boom on attempt <k>"),
//      unrecoverable throw UnrecoverableError("no retry please"),
//      sleepMs      wait before returning,
//      result       the return value (default {"name":...,"attempt":k}; the Java test processor returns the
//                   same, so results of both sides compare equal).
// Output: {"type":"process","seq":i,...job} when a processor call starts (seq counts calls),
//         {"type":"completed","id","returnvalue","attemptsMade","finishedOn"},
//         {"type":"failed","id","failedReason","attemptsMade","final"}, then {"type":"done"}.
import { UnrecoverableError, Worker } from 'bullmq';
import { connect, deadline, describeJob, disconnectAll, emit, jsonEnv, optionalEnv, queueSettings, sleep, warn } from './lib.mjs';

deadline(Number(optionalEnv('DEADLINE_MS', '30000')));

const { queueName, prefix } = queueSettings();
const count = Number(optionalEnv('COUNT', '1'));
const concurrency = Number(optionalEnv('CONCURRENCY', '1'));
const extraOptions = jsonEnv('WORKER_OPTS', {});

let seq = 0;
let settled = 0;
let allSettled;
const finished = new Promise((resolve) => {
  allSettled = resolve;
});

async function processJob(job) {
  const attempt = job.attemptsStarted;
  emit({ type: 'process', seq: seq++, ...describeJob(job) });
  const data = job.data ?? {};
  for (const value of data.progress ?? []) {
    await job.updateProgress(value);
  }
  for (const line of data.logs ?? []) {
    await job.log(line);
  }
  if (data.sleepMs) {
    await sleep(data.sleepMs);
  }
  if (data.unrecoverable) {
    throw new UnrecoverableError('no retry please');
  }
  if (data.failAttempts && attempt <= data.failAttempts) {
    throw new Error(`boom on attempt ${attempt}`);
  }
  return data.result !== undefined ? data.result : { name: job.name, attempt };
}

function settle() {
  settled += 1;
  if (settled >= count) {
    allSettled();
  }
}

const worker = new Worker(queueName, processJob, {
  ...extraOptions,
  connection: connect(),
  prefix,
  concurrency,
});
worker.on('error', (error) => warn(`worker error: ${error.message}`));
worker.on('completed', (job, returnvalue) => {
  emit({ type: 'completed', id: job.id, returnvalue: returnvalue ?? null, attemptsMade: job.attemptsMade, finishedOn: job.finishedOn ?? null });
  settle();
});
worker.on('failed', (job, error) => {
  // BullMQ only sets finishedOn when the failure is final (no retry scheduled).
  const final = typeof job?.finishedOn === 'number';
  emit({ type: 'failed', id: job?.id, failedReason: error.message, attemptsMade: job?.attemptsMade, final });
  if (final) {
    settle();
  }
});

try {
  await finished;
} finally {
  await worker.close();
  await disconnectAll();
}
emit({ type: 'done', settled });
