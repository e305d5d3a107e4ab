// Adds flow trees with the real BullMQ FlowProducer, all of them in one addBulk call.
//
// Env: REDIS_URL, PREFIX (default "bull"),
//      FLOWS  JSON array of BullMQ FlowJob trees: {"name", "queueName", "data", "opts", "children": [...]}.
// Output: one {"type":"added","index":i,"tree":{"id","queue","children":[...]}} line per tree (the ids BullMQ
//         gave, nodes without a jobId get a UUID), then {"type":"done","count":n}.
import { FlowProducer } from 'bullmq';
import { connect, deadline, disconnectAll, emit, fail, jsonEnv, optionalEnv } from './lib.mjs';

deadline(Number(optionalEnv('DEADLINE_MS', '20000')));

const prefix = optionalEnv('PREFIX', 'bull');
const flows = jsonEnv('FLOWS', null);
if (!Array.isArray(flows)) {
  fail('FLOWS must be a JSON array of FlowJob trees');
}

function describe(node) {
  return {
    id: node.job.id,
    queue: node.job.queueName,
    children: (node.children ?? []).map(describe),
  };
}

const producer = new FlowProducer({ connection: connect(), prefix });
try {
  const added = await producer.addBulk(flows);
  added.forEach((tree, index) => emit({ type: 'added', index, tree: describe(tree) }));
  emit({ type: 'done', count: added.length });
} finally {
  await producer.close();
  await disconnectAll();
}
