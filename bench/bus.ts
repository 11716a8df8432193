import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Artifact } from '../contracts/envelope.js';
import { checkArtifact } from '../contracts/validate-artifact.js';
import { createLogger } from '../src/log/create-logger.js';
import { RedisBus } from '../src/bus/redis-bus.js';
import { streamKey } from '../src/redis/keys.js';

const COUNT = 5_000;
const BATCH = 100;
const ROUNDS = 5;

function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** The round of median time, with its command count. */
function medianRun(runs: readonly Run[]): Run {
  const m = median(runs.map((r) => r.ms));
  return runs.find((r) => r.ms === m)!;
}

function artifact(i: number): Artifact<'OpsEvent'> {
  return {
    id: `a-bench-${String(i).padStart(8, '0')}-${randomBytes(3).toString('hex')}`,
    type: 'OpsEvent',
    version: '0.1',
    planId: 'p-bench1',
    producer: 'bench',
    createdAt: new Date().toISOString(),
    payload: { kind: 'heartbeat', detail: 'ok' },
  };
}

/** Commands Redis has run so far (INFO commandstats), commands run inside scripts included. */
async function commandsRun(redis: Redis): Promise<number> {
  const info = await redis.info('commandstats');
  let calls = 0;
  for (const m of info.matchAll(/^cmdstat_[^:]+:calls=(\d+)/gm)) calls += Number(m[1]);
  return calls;
}

interface Run {
  ms: number;
  /** Redis commands per artifact (the INFO call that measures it included). */
  perArtifact: number;
}

async function measured(redis: Redis, count: number, run: () => Promise<number>): Promise<Run> {
  const before = await commandsRun(redis);
  const ms = await run();
  const after = await commandsRun(redis);
  return { ms, perArtifact: (after - before) / count };
}

/** Commands per second a bus with one idle subscription sends (heartbeat, reads, maintenance). */
async function idleCommands(redis: Redis, prefix: string, seconds: number): Promise<number> {
  const bus = new RedisBus({ redis, logger: createLogger({ level: 'silent' }), prefix });
  bus.consume('ops.event', 'bench', async () => undefined);
  // Past the first read and the first maintenance pass.
  await new Promise((r) => setTimeout(r, 500));
  const before = await commandsRun(redis);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const after = await commandsRun(redis);
  await bus.close();
  return (after - before - 1) / seconds;
}

/** What the schema checks alone cost: one on publish, one on the parsed entry on consume. */
function validationMs(count: number): number {
  const items = Array.from({ length: count }, (_, i) => artifact(i));
  const raw = items.map((a) => JSON.stringify(a));
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    if (!checkArtifact(items[i]).ok) throw new Error('bench artifact is invalid');
    if (!checkArtifact(JSON.parse(raw[i]!)).ok) throw new Error('bench artifact is invalid');
  }
  const t1 = performance.now();
  for (let i = 0; i < count; i++) JSON.parse(raw[i]!);
  // JSON.parse is on both sides of the comparison (raw parses too), so only ajv counts.
  return t1 - t0 - (performance.now() - t1);
}

async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 2));
}

/** publish → consume → ack through RedisBus: schema checks on both sides, dedupe marker, scripted ack. */
async function runBus(redis: Redis, prefix: string, count: number): Promise<number> {
  const bus = new RedisBus({ redis, logger: createLogger({ level: 'silent' }), prefix, blockMs: 100 });
  let handled = 0;
  bus.consume('ops.event', 'bench', async () => void (handled += 1), { concurrency: BATCH });
  const items = Array.from({ length: count }, (_, i) => artifact(i));
  const t0 = performance.now();
  for (let i = 0; i < count; i += BATCH)
    await Promise.all(items.slice(i, i + BATCH).map((a) => bus.publish('ops.event', a)));
  await until(() => handled >= count);
  // Done when the last ack has landed, not just when the handler ran.
  await until(async () => Number((await redis.xpending(streamKey(prefix, 'ops.event'), 'bench'))[0]) === 0);
  const ms = performance.now() - t0;
  await bus.close();
  return ms;
}

/** The same traffic with bare XADD / XREADGROUP / XACK and a JSON.parse, no validation or dedupe. */
async function runRaw(redis: Redis, prefix: string, count: number): Promise<number> {
  const key = streamKey(prefix, 'ops.event');
  await redis.xgroup('CREATE', key, 'bench', '0', 'MKSTREAM');
  const reader = redis.duplicate();
  const items = Array.from({ length: count }, (_, i) => artifact(i));
  let acked = 0;
  const t0 = performance.now();
  const consumer = (async () => {
    while (acked < count) {
      const reply = (await reader.xreadgroup(
        'GROUP',
        'bench',
        'raw-1',
        'COUNT',
        BATCH,
        'BLOCK',
        100,
        'STREAMS',
        key,
        '>',
      )) as Array<[string, Array<[string, string[]]>]> | null;
      const entries = reply?.[0]?.[1] ?? [];
      await Promise.all(
        entries.map(async ([id, fields]) => {
          JSON.parse(fields[1] ?? 'null');
          await redis.xack(key, 'bench', id);
          acked += 1;
        }),
      );
    }
  })();
  for (let i = 0; i < count; i += BATCH) {
    await Promise.all(
      items
        .slice(i, i + BATCH)
        .map((a) =>
          redis.xadd(
            key,
            'MAXLEN',
            '~',
            100_000,
            '*',
            'artifact',
            JSON.stringify(a),
            'type',
            a.type,
            'planId',
            a.planId,
          ),
        ),
    );
  }
  await consumer;
  const ms = performance.now() - t0;
  reader.disconnect();
  return ms;
}

/** Deletes every key starting with `start`. */
async function dropPrefix(redis: Redis, start: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${start}*`, 'COUNT', 1_000);
    cursor = next;
    if (keys.length > 0) await redis.unlink(...keys);
  } while (cursor !== '0');
}

/** Artifacts/s through the bus next to a raw stream loop on the same Redis, same count and batching. */
export async function benchBus(redisUrl: string): Promise<string> {
  const redis = new Redis(redisUrl);
  const tag = randomBytes(4).toString('hex');
  try {
    // Warm-up, so JIT and script loading are not billed to either side.
    await runRaw(redis, `bench-${tag}-w1`, 500);
    await runBus(redis, `bench-${tag}-w2`, 500);
    validationMs(500);
    // Alternating rounds, each figure the median: one slow moment on a shared machine moves neither side alone.
    const raws: Run[] = [];
    const buses: Run[] = [];
    const ratios: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const r = await measured(redis, COUNT, () => runRaw(redis, `bench-${tag}-raw${round}`, COUNT));
      const b = await measured(redis, COUNT, () => runBus(redis, `bench-${tag}-bus${round}`, COUNT));
      raws.push(r);
      buses.push(b);
      ratios.push(r.ms / b.ms);
      await dropPrefix(redis, `bench-${tag}-raw${round}`);
      await dropPrefix(redis, `bench-${tag}-bus${round}`);
    }
    const raw = medianRun(raws);
    const bus = medianRun(buses);
    const checkMs = validationMs(COUNT);
    const idle = await idleCommands(redis, `bench-${tag}-idle`, 3);
    const rate = (ms: number) => Math.round((COUNT / ms) * 1000);
    const pad = (s: string) => s.padEnd(58);
    const line = (label: string, r: Run) =>
      `${pad(label)}${rate(r.ms).toLocaleString('en-US')} /s  (${r.ms.toFixed(0)} ms, ${r.perArtifact.toFixed(2)} commands/artifact)`;
    return [
      `bus: ${COUNT} artifacts, batches of ${BATCH}, handler concurrency ${BATCH}, median of ${ROUNDS} rounds`,
      line('  raw XADD → XREADGROUP → XACK', raw),
      line('  RedisBus publish → consume → ack (validated, deduped)', bus),
      `  ratio bus/raw: ${median(ratios).toFixed(2)} (median of ${ROUNDS} rounds: ${ratios.map((x) => x.toFixed(2)).join(' ')})   commands/artifact bus/raw: ${(bus.perArtifact / raw.perArtifact).toFixed(2)}`,
      `  schema validation alone (publish + consume): ${checkMs.toFixed(0)} ms = ${((100 * checkMs) / bus.ms).toFixed(0)}% of the bus run`,
      `  idle bus, one subscription: ${idle.toFixed(1)} commands/s`,
    ].join('\n');
  } finally {
    await dropPrefix(redis, `bench-${tag}-`);
    redis.disconnect();
  }
}
