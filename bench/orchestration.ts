import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { waitForPlan } from '../src/conductor/wait-for-plan.js';
import { readConfig } from '../src/config/read-config.js';
import { createLogger } from '../src/log/create-logger.js';
import { startCrew } from '../src/runtime/start-crew.js';
import type { PlanState } from '../src/plan/plan-states.js';
import type { PlanStore } from '../src/store/plan-store.js';

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

/**
 * Orchestration overhead per plan: wall time of plan → review → approve → apply, minus the
 * time spent inside Terraform subprocesses (measured in the same run). Also the process's
 * RSS idle (crew started, nothing to do) and after the batch.
 */
export async function benchOrchestration(redisUrl: string, plansCount = 6): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'crew-bench-orch-'));
  const redis = new Redis(redisUrl);
  let terraformSeconds = 0;
  const crew = startCrew({
    // PATH: Forge finds terraform the way a person's crew does.
    config: readConfig({ CREW_DATA_DIR: dataDir, REDIS_URL: redisUrl, PATH: process.env.PATH ?? '' }),
    logger: createLogger({ level: 'silent' }),
    redis,
    prefix: 'bench',
    // As crew worker and crew serve start: the agents' code readied in the background.
    warm: true,
    onTerraform: (_command, seconds) => {
      terraformSeconds += seconds;
    },
  });
  try {
    await new Promise((r) => setTimeout(r, 300));
    const idleRss = process.memoryUsage().rss;
    const countsBefore = await commandCounts(redis);
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    // The first plan also loads the agents' code and warms the JIT: the figures after it are a running crew's.
    let afterFirst = { at: started, terraform: 0 };
    for (let i = 0; i < plansCount; i++) {
      if (i === 1) afterFirst = { at: performance.now(), terraform: terraformSeconds };
      const submitted = await crew.ops.submitGoal(
        { text: `private Ollama on spot g4dn.xlarge, stack bench-${i}`, requestedBy: 'alice' },
        'bench',
      );
      if (!submitted.ok) throw new Error(submitted.refusal);
      const id = submitted.value.id;
      await waitFor(crew.plans, id, ['WAIT_FOR_APPROVE', 'BLOCKED']);
      const decided = await crew.ops.decide(id, 'approve', 'bob', 'bench');
      if (!decided.ok) throw new Error(decided.refusal);
      await waitFor(crew.plans, id, ['DONE', 'ROLLED_BACK']);
    }
    const wall = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const commands = commandDelta(countsBefore, await commandCounts(redis));
    const commandsTotal = commands.reduce((n, [, c]) => n + c, 0);
    const perPlan = (n: number) => (n / plansCount).toFixed(1);
    const loadedRss = process.memoryUsage().rss;
    const overhead = wall - terraformSeconds;
    const later = plansCount - 1;
    const laterOverhead = (performance.now() - afterFirst.at) / 1000 - (terraformSeconds - afterFirst.terraform);
    return [
      `orchestration: ${plansCount} plans, each planned, validated, approved and applied on the sandbox target`,
      `  wall per plan                        ${((wall / plansCount) * 1000).toFixed(0)} ms`,
      `  inside terraform (baseline)          ${((terraformSeconds / plansCount) * 1000).toFixed(0)} ms`,
      `  orchestration overhead per plan      ${((overhead / plansCount) * 1000).toFixed(0)} ms`,
      `  ratio overhead/terraform: ${(overhead / terraformSeconds).toFixed(2)}`,
      ...(later > 0
        ? [
            `  of which the first plan (loads the agents' code, cold JIT) ${((overhead - laterOverhead) * 1000).toFixed(0)} ms; the ${later} after it ${((laterOverhead / later) * 1000).toFixed(0)} ms each`,
          ]
        : []),
      `  crew process CPU per plan            ${((cpu.user + cpu.system) / 1000 / plansCount).toFixed(0)} ms (user ${(cpu.user / 1000 / plansCount).toFixed(0)}, system ${(cpu.system / 1000 / plansCount).toFixed(0)}; Terraform's own CPU is in its processes)`,
      `redis: ${perPlan(commandsTotal)} commands per plan (all clients of this server, blocking reads included)`,
      `  ${commands.map(([cmd, n]) => `${cmd} ${perPlan(n)}`).join(', ')}`,
      `memory: RSS idle ${mb(idleRss)}, after ${plansCount} plans ${mb(loadedRss)} (ratio ${(loadedRss / idleRss).toFixed(2)})`,
    ].join('\n');
  } finally {
    await crew.close();
    redis.disconnect();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
