// BullMQ 6.7.0 side of the side-by-side benchmark. The Java runner (SideBySide) starts this script once and
// sends one JSON request per line on stdin, e.g. {"bench":"process","variant":"c100_keep","n":20000}; the script
// runs that scenario against REDIS_URL and answers with one JSON line on stdout. Diagnostics go to stderr.
// The scenarios mean the same as on the Java side: see benchmarks/README.md.
import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';

const redisUrl = process.env.REDIS_URL;
if (!redisUrl) {
  console.error('REDIS_URL is required');
  process.exit(2);
}
const prefix = process.env.BENCH_PREFIX ?? 'bench';
const queueName = process.env.BENCH_QUEUE ?? 'side-by-side-bullmq';
const url = new URL(redisUrl);
// Options rather than a client: BullMQ then opens and closes its connections itself.
const redisOptions = { host: url.hostname, port: Number(url.port || 6379), maxRetriesPerRequest: null };
const admin = new IORedis(redisOptions);
const shared = { connection: redisOptions, prefix };
const queue = new Queue(queueName, shared);

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (x) => Math.round(x * 100) / 100;

async function redisCpuSeconds() {
  let total = 0;
  for (const line of (await admin.info('cpu')).split(/\r?\n/)) {
    const m = /^used_cpu_(?:sys|user):([\d.]+)/.exec(line);
    if (m) total += Number(m[1]);
  }
  return total;
}

// Wall time and CPU (this process, and Redis from INFO cpu) over one measured stretch.
async function meter() {
  const redis0 = await redisCpuSeconds();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  return async (jobs) => {
    const wall = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const redisSeconds = (await redisCpuSeconds()) - redis0;
    return {
      wall_ms: round(wall),
      client_cpu_pct: round(((cpu.user + cpu.system) / 1000 / wall) * 100),
      redis_cpu_pct: round(((redisSeconds * 1000) / wall) * 100),
      redis_cpu_us_per_job: round((redisSeconds * 1e6) / jobs),
    };
  };
}

function percentiles(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
  return sorted.length ? { p50_ms: round(at(0.5)), p99_ms: round(at(0.99)), max_ms: round(sorted[sorted.length - 1]) } : {};
}

async function empty() {
  await queue.obliterate({ force: true });
  if (await queue.isPaused()) await queue.resume();
}

async function fill(n, opts) {
  for (let start = 0; start < n; start += 1000) {
    const jobs = [];
    for (let i = start; i < Math.min(n, start + 1000); i++) jobs.push({ name: 'job', data: { i }, opts });
    await queue.addBulk(jobs);
  }
}

// Resolves once `count` processor calls have been made or settled, per the callback.
function counter(count) {
  let seen = 0;
  let resolve;
  const done = new Promise((r) => { resolve = r; });
  return { done, tick: () => { if (++seen === count) resolve(); } };
}

async function newWorker(processor, concurrency) {
  const worker = new Worker(queueName, processor, { ...shared, concurrency, autorun: false });
  worker.on('error', (e) => console.error('worker error', e.message));
  await worker.waitUntilReady();
  return worker;
}

const scenarios = {
  async add({ variant, n }) {
    await empty();
    const stop = await meter();
    if (variant === 'add_sequential') {
      for (let i = 0; i < n; i++) await queue.add('job', { i });
    } else if (variant === 'add_promise_all_chunk100') {
      for (let start = 0; start < n; start += 100) {
        const adds = [];
        for (let i = start; i < Math.min(n, start + 100); i++) adds.push(queue.add('job', { i }));
        await Promise.all(adds);
      }
    } else if (variant === 'addBulk_chunk1000') {
      await fill(n);
    } else {
      throw new Error(`unknown add variant ${variant}`);
    }
    const m = await stop(n);
    const waiting = await queue.getWaitingCount();
    await empty();
    return { ...m, jobs_per_s: round((n / m.wall_ms) * 1000), check_wait: waiting };
  },

  async process({ variant, n }) {
    const match = /^c(\d+)_(keep|removeOnComplete)$/.exec(variant);
    if (!match) throw new Error(`unknown process variant ${variant}`);
    const concurrency = Number(match[1]);
    await empty();
    await fill(n, match[2] === 'removeOnComplete' ? { removeOnComplete: true } : undefined);
    const finished = counter(n);
    const worker = await newWorker(async () => {}, concurrency);
    worker.on('completed', finished.tick);
    worker.on('failed', finished.tick);
    const stop = await meter();
    const running = worker.run();
    await finished.done;
    const m = await stop(n);
    await worker.close();
    await running;
    const completed = await queue.getCompletedCount();
    await empty();
    return { ...m, jobs_per_s: round((n / m.wall_ms) * 1000), check_completed: completed };
  },

  async latency({ n }) {
    await empty();
    const latencies = new Array(n).fill(NaN);
    const started = counter(n);
    const worker = await newWorker(async (job) => {
      latencies[job.data.i] = performance.now() - job.data.t;
      started.tick();
    }, 1);
    const running = worker.run();
    await delay(500);
    const stop = await meter();
    for (let i = 0; i < n; i++) {
      await queue.add('lat', { i, t: performance.now() });
      await delay(1);
    }
    await started.done;
    const m = await stop(n);
    await worker.close();
    await running;
    await empty();
    return { ...m, ...percentiles(latencies) };
  },

  async delayed({ variant, n }) {
    const concurrency = Number(/_c(\d+)$/.exec(variant)[1]);
    await empty();
    const lateness = new Array(n).fill(NaN);
    const started = counter(n);
    const worker = await newWorker(async (job) => {
      lateness[job.data.i] = Date.now() - (job.timestamp + job.data.delay);
      started.tick();
    }, concurrency);
    const running = worker.run();
    await delay(500);
    const stop = await meter();
    for (let start = 0; start < n; start += 1000) {
      const jobs = [];
      for (let i = start; i < Math.min(n, start + 1000); i++) {
        const d = Math.floor(Math.random() * 1001);
        jobs.push({ name: 'delayed', data: { i, delay: d }, opts: { delay: d } });
      }
      await queue.addBulk(jobs);
    }
    await started.done;
    const m = await stop(n);
    await worker.close();
    await running;
    await empty();
    return { ...m, ...percentiles(lateness) };
  },
};

async function warmUp() {
  await empty();
  for (let i = 0; i < 1000; i++) await queue.add('warm', { i });
  await fill(1000);
  const finished = counter(2000);
  const worker = await newWorker(async () => {}, 10);
  worker.on('completed', finished.tick);
  const running = worker.run();
  await finished.done;
  await worker.close();
  await running;
  await empty();
}

const require = createRequire(import.meta.url);
await queue.waitUntilReady();
await warmUp();
process.stdout.write(JSON.stringify({ ready: true, bullmq: require('bullmq/package.json').version, node: process.version }) + '\n');

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  const request = JSON.parse(line);
  try {
    const result = await scenarios[request.bench](request);
    process.stdout.write(JSON.stringify({ ...result }) + '\n');
  } catch (error) {
    process.stdout.write(JSON.stringify({ error: String(error?.stack ?? error) }) + '\n');
  }
}
await empty();
await queue.close();
await admin.quit();
process.exit(0);
