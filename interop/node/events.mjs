// Listens with the real BullMQ QueueEvents and prints every event it decodes.
//
// Env: REDIS_URL, QUEUE, PREFIX (default "bull"),
//      LAST_EVENT_ID  where to start reading the stream (default "0": replay everything
//                     already there, so the listener cannot miss events written before it
//                     connected; "$" listens only to new ones),
//      UNTIL          stop after this many completed + failed events (default: no limit),
//      SECONDS        stop after this long at most (default 10),
//      DEADLINE_MS    hard limit (default SECONDS * 1000 + 10000).
// Output: {"type":"ready"} once connected, then one {"type":"event","event":name,"streamId":...,
//         ...fields} line per event in stream order (fields as QueueEvents hands them to
//         listeners: progress data and returnvalue already JSON-parsed), then {"type":"done"}.
import { QueueEvents } from 'bullmq';
import { connect, deadline, disconnectAll, emit, optionalEnv, queueSettings, warn } from './lib.mjs';

const seconds = Number(optionalEnv('SECONDS', '10'));
deadline(Number(optionalEnv('DEADLINE_MS', String(seconds * 1000 + 10000))));

const { queueName, prefix } = queueSettings();
const until = Number(optionalEnv('UNTIL', 'Infinity'));
const lastEventId = optionalEnv('LAST_EVENT_ID', '0');

// The events QueueEvents can dispatch; each listener gets (fields, streamId) except the
// field-less ones, which get (streamId).
const withFields = [
  'added', 'waiting', 'active', 'progress', 'completed', 'failed', 'delayed', 'retries-exhausted',
  'stalled', 'removed', 'duplicated', 'deduplicated', 'waiting-children', 'cleaned',
];
const withoutFields = ['drained', 'paused', 'resumed'];

let finishedCount = 0;
let stop;
const stopped = new Promise((resolve) => {
  stop = resolve;
});
const timer = setTimeout(() => stop('seconds'), seconds * 1000);

const queueEvents = new QueueEvents(queueName, { connection: connect(), prefix, lastEventId, autorun: false });
queueEvents.on('error', (error) => warn(`queue events error: ${error.message}`));
for (const name of withFields) {
  queueEvents.on(name, (fields, streamId) => {
    emit({ type: 'event', event: name, streamId, ...fields });
    if (name === 'completed' || name === 'failed') {
      finishedCount += 1;
      if (finishedCount >= until) {
        stop('until');
      }
    }
  });
}
for (const name of withoutFields) {
  queueEvents.on(name, (streamId) => emit({ type: 'event', event: name, streamId }));
}

queueEvents.run().catch((error) => warn(`queue events run: ${error.message}`));
await queueEvents.waitUntilReady();
emit({ type: 'ready' });
const reason = await stopped;
clearTimeout(timer);
await queueEvents.close();
await disconnectAll();
emit({ type: 'done', reason, finished: finishedCount });
