// A BullMQ worker for the process-kill test (WorkerProcessKillTest), the Node twin of RecordingWorkerMain: it
// runs jobs for real, records each execution in Redis (field `<jobId> <NAME>:<run number>` of the RUNS_KEY hash,
// so a command the client sends again after a reconnect still counts once) and prints plain
// lines, not JSON, in the Java worker's protocol: `ready`, `started <jobId> <epoch ms>` before a run (printed
// before the count) and `done <jobId>` once the job is completed in Redis.
//
// Env: REDIS_URL, QUEUE, PREFIX (default "bull"), RUNS_KEY, NAME, CONCURRENCY, LOCK_MS, STALLED_MS, WORK_MS.
// It has no deadline of its own: the test that starts it kills it.
import { Worker } from 'bullmq';
import { connect, optionalEnv, queueSettings, requireEnv, sleep, warn } from './lib.mjs';

const { queueName, prefix } = queueSettings();
const runsKey = requireEnv('RUNS_KEY');
const workMs = Number(requireEnv('WORK_MS'));
const counter = connect();
const print = (line) => process.stdout.write(line + '\n');

let runNumber = 0;
const worker = new Worker(queueName, async (job) => {
  print(`started ${job.id} ${Date.now()}`);
  runNumber += 1;
  await counter.hset(runsKey, `${job.id} ${requireEnv('NAME')}:${runNumber}`, '1');
  await sleep(workMs);
  return null;
}, {
  connection: connect(),
  prefix,
  name: requireEnv('NAME'),
  concurrency: Number(requireEnv('CONCURRENCY')),
  lockDuration: Number(requireEnv('LOCK_MS')),
  stalledInterval: Number(requireEnv('STALLED_MS')),
  // Jobs may be in flight on several killed workers in turn; none should fail for it.
  maxStalledCount: Number(optionalEnv('MAX_STALLED', '1000')),
});
worker.on('completed', (job) => print(`done ${job.id}`));
worker.on('error', (error) => warn(`worker error: ${error.message}`));
await worker.waitUntilReady();
print(`ready ${requireEnv('NAME')}`);
