// Describes a queue the way BullMQ's own API sees it: the Queue getters for each job id, the job counts, and the
// whole event stream replayed through QueueEvents, grouped by job. Lets a Java test compare a queue processed
// one way (say, through Bullpen's lease API) with one a Node worker processed.
//
// Env: REDIS_URL, QUEUE, PREFIX (default "bull"),
//      IDS          JSON array of job ids,
//      QUIET_MS     stop replaying once no event arrived for this long (default 1000),
//      DEADLINE_MS  hard limit (default 20000).
// Output: one line {"type":"queue","counts":{...},"jobs":[{id,state,...}],"events":{"<jobId>":[{event,...}]},
//         "queueEvents":["drained",...]}.
import { Queue, QueueEvents } from 'bullmq';
import { connect, deadline, describeJob, disconnectAll, emit, jsonEnv, optionalEnv, queueSettings, sleep } from './lib.mjs';

deadline(Number(optionalEnv('DEADLINE_MS', '20000')));
const { queueName, prefix } = queueSettings();
const ids = jsonEnv('IDS', []);
const quietMs = Number(optionalEnv('QUIET_MS', '1000'));

const queue = new Queue(queueName, { connection: connect(), prefix, skipMetasUpdate: true });
const jobs = [];
for (const id of ids) {
  const job = await queue.getJob(id);
  const state = await queue.getJobState(id);
  if (!job) {
    jobs.push({ id, exists: false, state });
    continue;
  }
  const seen = describeJob(job);
  jobs.push({
    id,
    exists: true,
    state,
    name: seen.name,
    data: seen.data,
    attemptsMade: seen.attemptsMade,
    attemptsStarted: seen.attemptsStarted,
    returnvalue: seen.returnvalue,
    failedReason: seen.failedReason,
    stacktraceEntries: seen.stacktrace.length,
    processed: seen.processedOn !== null,
    finished: seen.finishedOn !== null,
    delay: seen.delay,
    priority: seen.priority,
  });
}
const counts = await queue.getJobCounts();

const events = {};
const queueEvents = [];
let last = Date.now();
const listener = new QueueEvents(queueName, { connection: connect(), prefix, lastEventId: '0', autorun: false });
const perJob = ['added', 'waiting', 'active', 'progress', 'completed', 'failed', 'delayed', 'retries-exhausted',
  'stalled', 'removed'];
for (const name of perJob) {
  listener.on(name, (fields) => {
    last = Date.now();
    const { jobId, ...rest } = fields;
    (events[jobId] ??= []).push({ event: name, ...rest });
  });
}
for (const name of ['drained', 'paused', 'resumed']) {
  listener.on(name, () => {
    last = Date.now();
    queueEvents.push(name);
  });
}
listener.run();
await listener.waitUntilReady();
while (Date.now() - last < quietMs) {
  await sleep(100);
}
await listener.close();
await queue.close();
await disconnectAll();
emit({ type: 'queue', counts, jobs, events, queueEvents });
