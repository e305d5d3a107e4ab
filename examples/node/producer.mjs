// The Node side of NodeProducerExample: adds resize jobs with BullMQ 6; a Java worker runs them.
//
// Env: REDIS_URL (default redis://127.0.0.1:6379), QUEUE (default "images").
// Prints one line per job added: "added job <id>: <image>".
import { Queue } from 'bullmq';
import IORedis from 'ioredis';

const connection = new IORedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
const queueName = process.env.QUEUE ?? 'images';

// region add
const queue = new Queue(queueName, { connection });
const retries = { attempts: 3, backoff: { type: 'exponential', delay: 1000 } };
for (const image of ['cat.jpg', 'dog.jpg', 'owl.jpg']) {
  const job = await queue.add('resize', { image, width: 200 }, retries);
  console.log(`added job ${job.id}: ${image}`);
}
await queue.close();
// endregion
await connection.quit();
