import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { parseGoal } from '../src/agents/atlas/parse-goal.js';
import { DEFAULT_ATLAS_DEFAULTS } from '../src/agents/atlas/default-atlas-defaults.js';
import { waitForPlan } from '../src/conductor/wait-for-plan.js';
import { readConfig } from '../src/config/read-config.js';
import { createLogger } from '../src/log/create-logger.js';
import { startCrew } from '../src/runtime/start-crew.js';
import { APPLY_PATH, type PlanEvent, type PlanState } from '../src/plan/plan-states.js';
import { transition } from '../src/plan/transition.js';
import type { PlanStore } from '../src/store/plan-store.js';
import type { Transition } from '../src/plan/plan-record.js';
import { median } from './bench-util.js';

/** The product's own wait (woken by the plan's change notifications): the bench adds no polling of its own. */
async function waitFor(plans: PlanStore, id: string, states: PlanState[]): Promise<void> {
  const p = await waitForPlan(plans, id, [...states, 'FAILED'], { timeoutMs: 600_000 });
  if (p.state === 'FAILED') throw new Error(`plan ${id} FAILED: ${p.failure ?? 'no reason recorded'}`);
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** Calls per Redis command since the server started (INFO commandstats), to count a batch's round trips. */
async function commandCounts(redis: Redis): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const m of (await redis.info('commandstats')).matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm))
    out.set(m[1] as string, Number(m[2]));
  return out;
}

/** The commands sent between two counts (the counting INFO itself left out), most frequent first. */
function commandDelta(before: Map<string, number>, after: Map<string, number>): Array<[string, number]> {
  return [...after]
    .map(([cmd, n]): [string, number] => [cmd, n - (before.get(cmd) ?? 0) - (cmd === 'info' ? 1 : 0)])
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);
}

type Crew = ReturnType<typeof startCrew>;

/**
 * Time inside Terraform, in seconds: its processes' lives (spawn → exit), the baseline; and the
 * runner's calls, which also hold the crew's own handling around each process (its output
 * files, spawning it, reading and parsing what it wrote).
 */
interface TerraformTime {
  processes: number;
  calls: number;
  /** Each Terraform process's spawn and exit, in performance.now() ms. */
  lives: ProcessLife[];
}

interface ProcessLife {
  command: string;
  start: number;
  end: number;
}

/** A crew on its own prefix and data dir, started as crew worker and crew serve start (warm). */
function benchCrew(redisUrl: string, redis: Redis, prefix: string, tf: TerraformTime) {
  const dataDir = mkdtempSync(join(tmpdir(), 'crew-bench-orch-'));
  const crew = startCrew({
    // PATH: Forge finds terraform the way a person's crew does.
    config: readConfig({ CREW_DATA_DIR: dataDir, REDIS_URL: redisUrl, PATH: process.env.PATH ?? '' }),
    logger: createLogger({ level: 'silent' }),
    redis,
    prefix,
    // As crew worker and crew serve start: the agents' code readied in the background.
    warm: true,
    onTerraform: (_command, seconds) => (tf.calls += seconds),
    onTerraformProcess: (command, seconds) => {
      tf.processes += seconds;
      // Told once the process's output is read: its exit was at most that handling earlier.
      const end = performance.now();
      tf.lives.push({ command, start: end - seconds * 1000, end });
    },
  });
  return { crew, dataDir };
}

/** `count` stacks applied earlier, each by a DONE plan: what a crew that has run for a while holds. */
async function seedAppliedStacks(crew: Crew, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const stack = `applied-${i}`;
    const read = parseGoal(`private Ollama on spot g4dn.xlarge, stack ${stack}`, { defaults: DEFAULT_ATLAS_DEFAULTS });
    if (read.kind !== 'spec') throw new Error(`the seed goal did not parse: ${read.kind}`);
    const id = `p-seed${String(i).padStart(5, '0')}`;
    await crew.plans.create({ id, goal: `seed ${stack}`, requestedBy: 'alice' });
    for (const e of APPLY_PATH) await crew.plans.advance(id, e, 'bench', 'seed', { stack });
    const appliedAt = new Date().toISOString();
    await crew.stacks.recordApplied(stack, { planId: id, spec: read.spec, monthlyUsd: 100, appliedAt });
  }
}

interface Batch {
  wall: number;
  /** Inside Terraform's processes. */
  terraform: number;
  /** The crew's handling around each Terraform process (runner calls less the processes' lives). */
  handling: number;
  /** Overhead of the plans after the first (a running crew's), in seconds. */
  laterOverhead: number;
  /** Each plan's own overhead (its wall minus its time inside Terraform), in seconds. */
  each: number[];
  /** Each plan's steps outside Terraform, in ms (see STEPS). */
  steps: Array<Record<Step, number>>;
}

/**
 * A plan's time outside Terraform, step by step, from the crew's own hooks (each move of the
 * plan, each Terraform process's spawn and exit) and the bench's own calls: where the overhead is.
 */
const STEPS = {
  toPending: 'goal submitted → PENDING (Atlas, the stack lock)',
  toBuilding: 'PENDING → IN_PROGRESS (Forge takes the build)',
  toInit: 'IN_PROGRESS → terraform init spawned',
  betweenProcesses: 'between init, plan and show',
  toValidating: "show's exit → VALIDATING (the plan stored)",
  toReady: 'VALIDATING → READY_FOR_APPLY (Sentinel)',
  toReview: 'READY_FOR_APPLY → WAIT_FOR_APPROVE',
  reviewSeen: 'WAIT_FOR_APPROVE → the waiting caller woken',
  toApplying: 'approval → APPLYING',
  toApply: 'APPLYING → terraform apply spawned',
  toDone: "apply's exit → DONE",
  doneSeen: 'DONE → the waiting caller woken',
} as const;
type Step = keyof typeof STEPS;

interface PlanMarks {
  id: string;
  submitted: number;
  /** The caller woke to WAIT_FOR_APPROVE and approved at once. */
  reviewSeen: number;
  doneSeen: number;
}

/** The states an applied plan moves through, read off the transition table along APPLY_PATH. */
const MOVES: PlanState[] = [];
for (let state: PlanState = 'DRAFTING', i = 0; i < APPLY_PATH.length; i++) {
  const r = transition(state, APPLY_PATH[i] as PlanEvent);
  if (!r.ok) throw new Error(`APPLY_PATH is refused at ${state}: ${r.refusal}`);
  MOVES.push((state = r.to));
}

/**
 * The steps of one plan, or undefined when a mark is missing (a plan that went another way). A
 * move's time is its history entry's (written as it is stored, to the millisecond).
 */
function stepsOf(m: PlanMarks, lives: ProcessLife[], history: Transition[]): Record<Step, number> | undefined {
  const [init, plan, show, apply] = ['init', 'plan', 'show', 'apply'].map((command) =>
    lives.find((p) => p.command === command && p.start >= m.submitted && p.end <= m.doneSeen),
  );
  const at: Partial<Record<PlanState, number>> = {};
  for (const t of history) at[t.to] ??= Date.parse(t.at) - performance.timeOrigin;
  if (!init || !plan || !show || !apply || MOVES.some((to) => at[to] === undefined)) return undefined;
  const moved = at as Record<PlanState, number>;
  return {
    toPending: moved.PENDING - m.submitted,
    toBuilding: moved.IN_PROGRESS - moved.PENDING,
    toInit: init.start - moved.IN_PROGRESS,
    betweenProcesses: plan.start - init.end + (show.start - plan.end),
    toValidating: moved.VALIDATING - show.end,
    toReady: moved.READY_FOR_APPLY - moved.VALIDATING,
    toReview: moved.WAIT_FOR_APPROVE - moved.READY_FOR_APPLY,
    reviewSeen: m.reviewSeen - moved.WAIT_FOR_APPROVE,
    toApplying: moved.APPLYING - m.reviewSeen,
    toApply: apply.start - moved.APPLYING,
    toDone: moved.DONE - apply.end,
    doneSeen: m.doneSeen - moved.DONE,
  };
}

/** `count` plans through `crew`, each planned, validated, approved and applied. */
async function runPlans(crew: Crew, tf: TerraformTime, count: number, tag: string): Promise<Batch> {
  const started = performance.now();
  const tfAtStart = tf.processes;
  const callsAtStart = tf.calls;
  // The first plan also loads the agents' code and warms the JIT: the figures after it are a running crew's.
  let afterFirst = { at: started, terraform: tfAtStart };
  const each: number[] = [];
  const marked: PlanMarks[] = [];
  for (let i = 0; i < count; i++) {
    if (i === 1) afterFirst = { at: performance.now(), terraform: tf.processes };
    const plan = { at: performance.now(), terraform: tf.processes };
    const submitted = await crew.ops.submitGoal(
      { text: `private Ollama on spot g4dn.xlarge, stack ${tag}-${i}`, requestedBy: 'alice' },
      'bench',
    );
    if (!submitted.ok) throw new Error(submitted.refusal);
    const id = submitted.value.id;
    await waitFor(crew.plans, id, ['WAIT_FOR_APPROVE', 'BLOCKED']);
    const reviewSeen = performance.now();
    const decided = await crew.ops.decide(id, 'approve', 'bob', 'bench');
    if (!decided.ok) throw new Error(decided.refusal);
    await waitFor(crew.plans, id, ['DONE', 'ROLLED_BACK']);
    const doneSeen = performance.now();
    each.push((doneSeen - plan.at) / 1000 - (tf.processes - plan.terraform));
    if (i > 0) marked.push({ id, submitted: plan.at, reviewSeen, doneSeen });
  }
  const ended = performance.now();
  // Read once the batch is timed: the histories give each move's time.
  const steps: Array<Record<Step, number>> = [];
  for (const m of marked) {
    const s = stepsOf(m, tf.lives, await crew.plans.history(m.id));
    if (s) steps.push(s);
  }
  return {
    wall: (ended - started) / 1000,
    terraform: tf.processes - tfAtStart,
    handling: tf.calls - callsAtStart - (tf.processes - tfAtStart),
    laterOverhead: (ended - afterFirst.at) / 1000 - (tf.processes - afterFirst.terraform),
    each,
    steps,
  };
}

const APPLIED_STACKS = Number(process.env.CREW_BENCH_APPLIED_STACKS ?? 200);
/**
 * Plans a crew has run before its "running crew" batch is measured: V8 compiles and optimizes
 * the agents' code over the first few dozen plans, so a fresh crew's first batch is slower than
 * the same crew later on.
 */
const RUNNING_AFTER = Number(process.env.CREW_BENCH_RUNNING_AFTER ?? 30);
/** Plans per batch: the first runs cold, the median of the others is a running crew's figure. */
const PLANS = Number(process.env.CREW_BENCH_PLANS ?? 11);

/** Median and range of the plans after the first, in ms. */
function laterSpread(b: Batch): string {
  const later = b.each.slice(1).map((s) => s * 1000);
  if (later.length === 0) return '';
  const sorted = [...later].sort((x, y) => x - y);
  const mid = sorted[Math.floor((sorted.length - 1) / 2)] as number;
  return ` (median ${mid.toFixed(0)} ms, ${(sorted[0] as number).toFixed(0)}–${(sorted.at(-1) as number).toFixed(0)})`;
}

/** The median of each step over the plans after the first, and their sum. */
function stepLines(b: Batch): string[] {
  if (b.steps.length === 0) return [];
  const medianOf = (k: Step) => median(b.steps.map((s) => s[k]));
  const keys = Object.keys(STEPS) as Step[];
  const sum = keys.reduce((n, k) => n + medianOf(k), 0);
  return [
    `  step by step, the ${b.steps.length} plans after the first (medians; the crew's hooks and the bench's own calls): ${sum.toFixed(1)} ms in all`,
    ...keys.map((k) => `    ${STEPS[k].padEnd(50)} ${medianOf(k).toFixed(1)} ms`),
  ];
}

/**
 * Orchestration overhead per plan: wall time of plan → review → approve → apply, minus the
 * time Terraform's processes ran, spawn to exit (measured in the same run); the crew's own
 * handling around each process is overhead, and is printed too. Also the process's
 * RSS idle (crew started, nothing to do) and after the batch; then the same batch on a crew
 * that has applied APPLIED_STACKS stacks before (what a crew that has run for months holds).
 */
export async function benchOrchestration(redisUrl: string, plansCount = PLANS): Promise<string> {
  const redis = new Redis(redisUrl);
  const tf: TerraformTime = { processes: 0, calls: 0, lives: [] };
  const empty = benchCrew(redisUrl, redis, 'bench', tf);
  let full: ReturnType<typeof benchCrew> | undefined;
  try {
    // A worker takes plans once started; the batch starts once the crew has readied its code.
    await empty.crew.warmed();
    await new Promise((r) => setTimeout(r, 300));
    const idleRss = process.memoryUsage().rss;
    const countsBefore = await commandCounts(redis);
    const cpuBefore = process.cpuUsage();
    const batch = await runPlans(empty.crew, tf, plansCount, 'bench');
    const cpu = process.cpuUsage(cpuBefore);
    const commands = commandDelta(countsBefore, await commandCounts(redis));
    const commandsTotal = commands.reduce((n, [, c]) => n + c, 0);
    const perPlan = (n: number) => (n / plansCount).toFixed(1);
    const loadedRss = process.memoryUsage().rss;
    const overhead = batch.wall - batch.terraform;
    const later = plansCount - 1;
    const ms = (seconds: number) => `${(seconds * 1000).toFixed(0)} ms`;
    const lines = [
      `orchestration: ${plansCount} plans, each planned, validated, approved and applied on the sandbox target`,
      `  wall per plan                        ${ms(batch.wall / plansCount)}`,
      `  inside terraform's processes, spawn → exit (baseline) ${ms(batch.terraform / plansCount)}`,
      `  orchestration overhead per plan      ${ms(overhead / plansCount)}`,
      `  of which the crew's handling around each Terraform process (output files, spawning it, reading and parsing its output) ${ms(batch.handling / plansCount)}`,
      `  ratio overhead/terraform: ${(overhead / batch.terraform).toFixed(2)}`,
      ...(later > 0
        ? [
            `  of which the first plan (loads the agents' code, cold JIT) ${ms(overhead - batch.laterOverhead)}; the ${later} after it ${ms(batch.laterOverhead / later)} each${laterSpread(batch)}`,
          ]
        : []),
      ...stepLines(batch),
      `  crew process CPU per plan            ${((cpu.user + cpu.system) / 1000 / plansCount).toFixed(0)} ms (user ${(cpu.user / 1000 / plansCount).toFixed(0)}, system ${(cpu.system / 1000 / plansCount).toFixed(0)}; Terraform's own CPU is in its processes)`,
      `redis: ${perPlan(commandsTotal)} commands per plan (all clients of this server, blocking reads included)`,
      `  ${commands.map(([cmd, n]) => `${cmd} ${perPlan(n)}`).join(', ')}`,
      `memory: RSS idle ${mb(idleRss)}, after ${plansCount} plans ${mb(loadedRss)} (ratio ${(loadedRss / idleRss).toFixed(2)})`,
    ];
    // The plans after a batch's first, in seconds each: what the seeded crew below is compared with.
    let warmEach = { seconds: batch.laterOverhead / later, of: 'the empty crew above' };
    if (RUNNING_AFTER > plansCount) {
      await runPlans(empty.crew, tf, RUNNING_AFTER - plansCount, 'bench-warm');
      const running = await runPlans(empty.crew, tf, plansCount, 'bench-running');
      const each = running.each.map((s) => s * 1000);
      const mean = (running.wall - running.terraform) / plansCount;
      const tfEach = running.terraform / plansCount;
      lines.push(
        `a running crew (the same crew after ${RUNNING_AFTER} plans, CREW_BENCH_RUNNING_AFTER): ${plansCount} more plans, overhead ${ms(mean)} each (median ${median(each).toFixed(0)} ms, ${Math.min(...each).toFixed(0)}–${Math.max(...each).toFixed(0)}) against Terraform's processes ${ms(tfEach)} (${(mean / tfEach).toFixed(2)}); the fresh crew's ${plansCount} above ${ms(overhead / plansCount)}`,
      );
      if (later > 0) warmEach = { seconds: running.laterOverhead / later, of: 'the running crew above' };
    }
    if (APPLIED_STACKS > 0 && later > 0) {
      full = benchCrew(redisUrl, redis, 'bench-full', tf);
      await full.crew.warmed();
      await seedAppliedStacks(full.crew, APPLIED_STACKS);
      const seeded = await runPlans(full.crew, tf, plansCount, 'bench');
      const each = seeded.laterOverhead / later;
      lines.push(
        `on a crew that has applied ${APPLIED_STACKS} stacks before (CREW_BENCH_APPLIED_STACKS; in this process, so its code is as warm): the ${later} plans after the first ${ms(each)} each${laterSpread(seeded)}; the ${later} after the first on ${warmEach.of} ${ms(warmEach.seconds)} (ratio ${(each / warmEach.seconds).toFixed(2)})`,
      );
    }
    return lines.join('\n');
  } finally {
    for (const c of [empty, full]) {
      if (!c) continue;
      await c.crew.close();
      rmSync(c.dataDir, { recursive: true, force: true });
    }
    redis.disconnect();
  }
}
