import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { readConfig } from '../src/config/read-config.js';
import { createLogger } from '../src/log/create-logger.js';
import { startCrew } from '../src/runtime/start-crew.js';
import { TOPICS } from '../src/bus/topics.js';
import { planKey, streamKey } from '../src/redis/keys.js';
import { runRetention } from '../src/store/run-retention.js';
import { cliMain, mb, median, percentile } from './bench-util.js';
import { timed } from './cli.js';
import { privateRedis } from './private-redis.js';

const TEMPLATE_STACK = 'benchtmplstack';

/**
 * Terraform's stand-in for the scale run: init does nothing, apply prints its (empty) outputs, plan writes a plan file,
 * show prints a plan recorded from real terraform with the stack's name put in. The crew's own
 * work is what is measured.
 */
function writeFakeTerraform(dir: string, template: string): string {
  const bin = join(dir, 'terraform-fake');
  writeFileSync(
    bin,
    [
      '#!/usr/bin/env bash',
      'case "$1" in',
      '  plan) for a in "$@"; do case "$a" in -out=*) echo fake > "${a#-out=}" ;; esac; done; exit 2 ;;',
      `  show) stack="$(basename "$PWD")"; exec sed "s/${TEMPLATE_STACK}/$stack/g" "${template}" ;;`,
      // apply -json ends with the outputs message (here none), as Terraform's does.
      `  apply) echo '{"@level":"info","@message":"Outputs: 0","type":"outputs","outputs":{}}' ;;`,
      "  output) echo '{}' ;;",
      '  *) exit 0 ;;',
      'esac',
      '',
    ].join('\n'),
  );
  chmodSync(bin, 0o755);
  return bin;
}

/** A real sandbox plan of stack TEMPLATE_STACK, for the stand-in to replay. */
async function recordTemplate(dir: string): Promise<string> {
  const r = await privateRedis();
  const dataDir = mkdtempSync(join(tmpdir(), 'crew-bench-tmpl-'));
  try {
    const env = { ...process.env, REDIS_URL: r.url, CREW_DATA_DIR: dataDir, CREW_LOG_LEVEL: 'warn' };
    const goal = `private Ollama on spot g4dn.xlarge, stack ${TEMPLATE_STACK}`;
    await timed('node', [cliMain(), 'plan', goal, '--as', 'alice', '--json'], { env });
    const plansDir = join(dataDir, 'stacks', TEMPLATE_STACK, 'plans');
    const json = readdirSync(plansDir).find((f) => f.endsWith('.plan.json'));
    if (!json) throw new Error('the template plan left no plan JSON');
    const out = join(dir, 'template.plan.json');
    writeFileSync(out, readFileSync(join(plansDir, json)));
    return out;
  } finally {
    r.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** What is left in Redis, by the shape of its keys (ids and hashes folded): count and bytes. */
async function keyShapes(redis: Redis): Promise<string> {
  const shapes = new Map<string, { n: number; bytes: number }>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'COUNT', 500);
    cursor = next;
    const pipe = redis.pipeline();
    for (const k of keys) pipe.memory('USAGE', k);
    const sizes = (await pipe.exec()) ?? [];
    keys.forEach((k, i) => {
      const shape = k
        .replace(/\{[0-9a-f]{64}\}/g, '{sha}')
        .replace(/p-[a-z0-9]+/g, 'p-*')
        .replace(/stack:[a-z0-9-]+/g, 'stack:*');
      const s = shapes.get(shape) ?? { n: 0, bytes: 0 };
      s.n += 1;
      s.bytes += Number(sizes[i]?.[1] ?? 0);
      shapes.set(shape, s);
    });
  } while (cursor !== '0');
  return [...shapes]
    .sort((a, b) => b[1].bytes - a[1].bytes)
    .slice(0, 8)
    .map(([k, s]) => `${k} ${s.n} keys ${(s.bytes / 1024).toFixed(0)} KB`)
    .join('; ');
}

/** Streams that still hold entries: their length, first id and each group's pending count and oldest pending id. */
async function streamsLeft(redis: Redis): Promise<string> {
  const out: string[] = [];
  for (const topic of TOPICS) {
    const stream = streamKey('crew', topic);
    const len = await redis.xlen(stream);
    if (len === 0) continue;
    const [[first] = []] = await redis.xrange(stream, '-', '+', 'COUNT', 1);
    const groups = (await redis.call('XINFO', 'GROUPS', stream)) as Array<Array<string | number>>;
    const described = await Promise.all(
      groups.map(async (g) => {
        const name = String(g[g.indexOf('name') + 1]);
        const [count, oldest] = (await redis.xpending(stream, name)) as [number, string | null];
        return `${name} pending ${count}${oldest ? ` from ${oldest}` : ''}, last delivered ${String(g[g.indexOf('last-delivered-id') + 1])}`;
      }),
    );
    out.push(`${topic}: ${len} entries from ${first ?? '-'} (${described.join('; ')})`);
  }
  return out.join(' | ') || 'none';
}

/** A numeric field of INFO's text (NaN when absent). */
const infoField = (info: string, name: string): number =>
  Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(info)?.[1] ?? NaN);

async function usedMemory(redis: Redis): Promise<number> {
  return infoField(await redis.info('memory'), 'used_memory');
}

/** Where Redis's memory is (MEMORY STATS, numeric fields; a database's own fields as db.N.field). */
async function memoryStats(redis: Redis): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const walk = (reply: unknown[], head: string) => {
    for (let i = 0; i + 1 < reply.length; i += 2) {
      const [k, v] = [String(reply[i]), reply[i + 1]];
      if (Array.isArray(v)) walk(v, `${head}${k}.`);
      else if (typeof v === 'number' || /^\d+$/.test(String(v))) out.set(`${head}${k}`, Number(v));
    }
  };
  walk((await redis.call('MEMORY', 'STATS')) as unknown[], '');
  return out;
}

/** The MEMORY STATS fields that grew most between two readings (allocator totals left out). */
function grewMost(before: Map<string, number>, after: Map<string, number>): string {
  const parts = ['clients.normal', 'lua.caches', 'functions.caches', 'keys.count', 'dataset.bytes'];
  const grew = [...after]
    .filter(([k]) => parts.some((p) => k.endsWith(p)) || k.includes('overhead.hashtable'))
    .map(([k, v]): [string, number] => [k, v - (before.get(k) ?? 0)])
    .filter(([, d]) => d !== 0)
    .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]));
  return grew
    .map(([k, d]) => `${k} ${d > 0 ? '+' : ''}${k.endsWith('keys.count') ? d : `${(d / 1024).toFixed(0)} KB`}`)
    .join(', ');
}

/**
 * Redis's memory once it has finished freeing what retention removed: UNLINK frees in the
 * background (lazyfree_pending_objects) and the key tables shrink on Redis's own timer. Read
 * until nothing is pending and two reads a second apart agree (10 s at most).
 */
async function settledMemory(redis: Redis): Promise<number> {
  let last = NaN;
  for (let i = 0; i < 10; i++) {
    const info = await redis.info('memory');
    const used = infoField(info, 'used_memory');
    const pending = infoField(info, 'lazyfree_pending_objects');
    if ((pending === 0 || Number.isNaN(pending)) && used === last) return used;
    last = used;
    await new Promise((res) => setTimeout(res, 1_000));
  }
  return last;
}

function rssKb(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
  } catch {
    return NaN;
  }
}

/** CPU seconds of a process and of its children it has waited for (the Terraform stand-ins). */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // utime, stime, cutime, cstime: fields 14–17 of stat, 11–14 after the command name.
    const ticks = [11, 12, 13, 14].reduce((n, i) => n + Number(fields[i] ?? NaN), 0);
    return ticks / 100;
  } catch {
    return NaN;
  }
}

function startWorker(env: NodeJS.ProcessEnv): { child: ChildProcess; ready: Promise<void> } {
  const child = spawn('node', [cliMain(), 'worker'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  const ready = new Promise<void>((resolve, reject) => {
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes('worker running')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`worker exited ${code}: ${err.slice(-800)}`)));
  });
  return { child, ready };
}

interface ScaleRun {
  workers: number;
  plans: number;
  perMinute: number;
  p50: number;
  p99: number;
  memBefore: number;
  memRested: number;
  memAfter: number;
  /** Read right after the retention pass, before Redis has freed what it unlinked. */
  memJustAfter: number;
  /** The largest kinds of keys left after retention. */
  leftAfter: string;
  rssKb: number[];
  /** CPU seconds per plan: the workers with their Terraform stand-ins, and the submitting process. */
  cpuPerPlan: number;
}

async function runScale(workers: number, count: number, fake: string): Promise<ScaleRun> {
  const r = await privateRedis();
  const dataDir = mkdtempSync(join(tmpdir(), 'crew-bench-scale-'));
  const env = {
    ...process.env,
    REDIS_URL: r.url,
    CREW_DATA_DIR: dataDir,
    CREW_LOG_LEVEL: 'warn',
    CREW_TERRAFORM_BIN: fake,
  };
  const redis = new Redis(r.url);
  const procs = Array.from({ length: workers }, () => startWorker(env));
  // The submitter: a crew process running no agents, so every plan is worked on by the workers.
  const config = readConfig({ CREW_DATA_DIR: dataDir, REDIS_URL: r.url });
  const crew = startCrew({ config, logger: createLogger({ level: 'silent' }), redis, roles: [] });
  try {
    await Promise.all(procs.map((p) => p.ready));
    const memBefore = await usedMemory(redis);
    const statsBefore = await memoryStats(redis);
    const cpuBefore = procs.reduce((n, p) => n + cpuSeconds(p.child.pid ?? 0), 0);
    const ownBefore = process.cpuUsage();
    const submitted = new Map<string, number>();
    const latencies: number[] = [];
    const t0 = performance.now();
    for (let i = 0; i < count; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, count - i) }, async (_, j) => {
          const s = await crew.ops.submitGoal(
            { text: `private Ollama on spot g4dn.xlarge, stack s${i + j}`, requestedBy: 'alice' },
            'bench',
          );
          if (!s.ok) throw new Error(s.refusal);
          submitted.set(s.value.id, performance.now());
        }),
      );
    }
    const deadline = Date.now() + 30 * 60_000;
    while (submitted.size > 0) {
      if (Date.now() > deadline) throw new Error(`${submitted.size} plans did not rest in 30 min`);
      await new Promise((res) => setTimeout(res, 50));
      const ids = [...submitted.keys()];
      const pipe = redis.pipeline();
      for (const id of ids) pipe.hget(planKey('crew', id), 'state');
      const states = (await pipe.exec()) ?? [];
      const now = performance.now();
      ids.forEach((id, k) => {
        const state = states[k]?.[1];
        if (state === 'WAIT_FOR_APPROVE') {
          latencies.push(now - (submitted.get(id) ?? now));
          submitted.delete(id);
        } else if (state === 'BLOCKED' || state === 'FAILED') {
          throw new Error(`plan ${id} ended ${state}`);
        }
      });
    }
    const wallMs = performance.now() - t0;
    const own = process.cpuUsage(ownBefore);
    const cpu = procs.reduce((n, p) => n + cpuSeconds(p.child.pid ?? 0), 0) - cpuBefore + (own.user + own.system) / 1e6;
    const rss = procs.map((p) => rssKb(p.child.pid ?? 0));
    const memRested = await usedMemory(redis);
    // End every plan (rejected), then let retention take what it may: with zero retention,
    // every terminal plan's hot record and every settled stream entry.
    const ids = (await redis.zrange('crew:{index}:plans', 0, -1)).filter(Boolean);
    for (let i = 0; i < ids.length; i += 50)
      await Promise.all(ids.slice(i, i + 50).map((id) => crew.ops.decide(id, 'reject', 'bob', 'bench')));
    for (;;) {
      const pipe = redis.pipeline();
      for (const id of ids) pipe.hget(planKey('crew', id), 'state');
      const states = ((await pipe.exec()) ?? []).map((x) => x[1]);
      if (states.every((s) => s === 'REJECTED')) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    await runRetention({ redis, streamRetentionMs: 0, planRetentionMs: 0 });
    const memJustAfter = await usedMemory(redis);
    const memAfter = await settledMemory(redis);
    const grew = grewMost(statsBefore, await memoryStats(redis));
    const leftAfter = `${await keyShapes(redis)}\n  streams left: ${await streamsLeft(redis)}\n  grown since before (MEMORY STATS): ${grew}`;
    return {
      workers,
      plans: count,
      perMinute: (count / wallMs) * 60_000,
      p50: median(latencies),
      p99: percentile(latencies, 0.99),
      memBefore,
      memRested,
      memJustAfter,
      memAfter,
      leftAfter,
      rssKb: rss,
      cpuPerPlan: cpu / count,
    };
  } finally {
    for (const p of procs) p.child.kill('SIGTERM');
    await Promise.all(
      procs.map((p) => new Promise((res) => (p.child.exitCode !== null ? res(0) : p.child.on('exit', res)))),
    );
    await crew.close();
    redis.disconnect();
    r.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** 1,000 plans through 4 `crew worker` processes next to one worker, Terraform stood in for. */
export async function benchScale(count = Number(process.env.CREW_BENCH_SCALE_PLANS ?? 1_000)): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'crew-bench-fake-tf-'));
  try {
    const fake = writeFakeTerraform(dir, await recordTemplate(dir));
    const one = await runScale(1, count, fake);
    const four = await runScale(4, count, fake);
    const cores = availableParallelism();
    const row = (s: ScaleRun) =>
      [
        `  ${s.workers} worker${s.workers > 1 ? 's' : ' '}  ${s.perMinute.toFixed(0).padStart(6)} plans/min`,
        `goal → WAIT_FOR_APPROVE p50 ${(s.p50 / 1000).toFixed(2)} s p99 ${(s.p99 / 1000).toFixed(2)} s`,
        `CPU/plan ${(s.cpuPerPlan * 1000).toFixed(0)} ms`,
        `RSS/worker ${s.rssKb.map((k) => mb(k * 1024)).join(', ')}`,
        `redis ${mb(s.memBefore)} → ${mb(s.memRested)} rested → ${mb(s.memAfter)} after retention, settled (×${(s.memAfter / s.memBefore).toFixed(2)}; ${mb(s.memJustAfter)} right after the pass)`,
      ].join('  ');
    return [
      `scale: ${count} plans, sandbox target, terraform stood in for (replays a recorded plan)`,
      row(one),
      row(four),
      `  ratio 4 workers / 1 worker plans/min: ${(four.perMinute / one.perMinute).toFixed(2)}`,
      // Every plan costs the 1-worker run's CPU wherever it runs: the cores bound what more workers can do.
      `  best ratio these ${cores} cores allow (CPU/plan of the 1-worker run, Redis's own CPU left out): ${(cores / one.cpuPerPlan / (one.perMinute / 60)).toFixed(2)}`,
      `  left in redis after retention (1 worker): ${one.leftAfter}`,
      `  left in redis after retention (4 workers): ${four.leftAfter}`,
      `  redis per rested plan: ${((four.memRested - four.memBefore) / count / 1024).toFixed(1)} KB`,
    ].join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
