import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config/read-config.js';
import { createLogger } from '../../src/log/create-logger.js';
import { startCrew, type CrewRuntime } from '../../src/runtime/start-crew.js';
import { makeCrewEnv, stateAddresses, type CrewEnv } from '../support/crew-env.js';
import { ChaosLoop } from './chaos-loop.js';
import { formatHistory, planProblems } from './check-plan.js';
import { collectFacts, deadLetters, waitForQuietBus } from './collect-facts.js';
import { killStrays } from './kill-strays.js';
import { PlanDriver } from './plan-driver.js';
import { chaosSeed, SeededRandom } from './seeded-random.js';
import { WorkerPool } from './worker-pool.js';
import { sleep } from '../support/wait-for.js';

// kill -9 of random workers every 0.5–2.5 s and two Redis restarts while 50 plans go from
// goal to DONE (10 of them on to ROLLED_BACK): no plan may be lost or applied twice.

const SEED = chaosSeed();
const PLANS = 50;
const ROLLBACKS = 10;
// Three workers on two cores: more only adds contention between terraform processes.
const WORKERS = 3;
// The chaos stops by then at the latest; every plan must rest by SETTLE_BY_MS.
const CHAOS_MAX_MS = 120_000;
const SETTLE_BY_MS = 180_000;
// Restarts happen when enough plans got this far, or at these times if they never do.
const FORCE_RESTART_MS = [40_000, 80_000];
// A dead consumer's entries are adopted once its 5 s liveness key expires.
const QUIET_MS = 30_000;

let t: CrewEnv;
let pool: WorkerPool | undefined;
let client: Redis | undefined;
let crew: CrewRuntime | undefined;

beforeAll(async () => {
  t = await makeCrewEnv();
});
afterAll(async () => {
  pool?.killAll();
  await crew?.close().catch(() => undefined);
  client?.disconnect();
  if (t) {
    killStrays(t.dataDir);
    await t.close();
  }
});

describe(`chaos (seed ${SEED}; replay with CHAOS_SEED=${SEED})`, () => {
  it(`kill -9 at random points across ${PLANS} plans plus two Redis restarts: 0 lost plans, 0 double applies (seed ${SEED})`, async () => {
    const started = Date.now();
    const elapsedMs = () => Date.now() - started;
    const log = (m: string) => console.log(`[chaos seed ${SEED} +${(elapsedMs() / 1000).toFixed(1)}s] ${m}`);
    const planRng = new SeededRandom(SEED);
    const chaosRng = new SeededRandom((SEED ^ 0x9e3779b9) >>> 0);

    pool = new WorkerPool(t.env, WORKERS);
    pool.start();
    // The test's own connection rides out the restarts: commands wait for Redis to return.
    client = new Redis(t.redis.url, { maxRetriesPerRequest: null, retryStrategy: (n) => Math.min(50 * n, 1000) });
    client.on('error', () => undefined);
    const c = startCrew({
      config: readConfig({ ...t.env, CREW_LOG_LEVEL: 'silent' }),
      logger: createLogger({ level: 'silent' }),
      redis: client,
      roles: [],
    });
    crew = c;

    const driver = new PlanDriver(c, PLANS, planRng.sample(PLANS, ROLLBACKS));
    const thresholds = [planRng.int(5, 15), planRng.int(15, 30)];
    log(`${WORKERS} workers; Redis restarts after ${thresholds[0]} approvals and ${thresholds[1]} applies`);
    const chaos = new ChaosLoop({
      pool,
      redis: t.redis,
      rng: chaosRng,
      log,
      elapsedMs,
      restartDue: (k) =>
        elapsedMs() > FORCE_RESTART_MS[k]! ||
        (k === 0
          ? driver.count((p) => p.approved.size > 0) >= thresholds[0]!
          : driver.count((p) => p.state === 'DONE' || p.state === 'ROLLBACK' || p.state === 'ROLLED_BACK') >=
            thresholds[1]!),
    });
    chaos.start();
    const submitting = driver.submitAll(planRng);

    let chaosEndedMs: number | undefined;
    let lastReport = 0;
    while (elapsedMs() < SETTLE_BY_MS) {
      await driver.poll();
      if (chaos.active && (elapsedMs() > CHAOS_MAX_MS || (driver.settled() && chaos.restarts.length === 2))) {
        await chaos.stop();
        chaosEndedMs = elapsedMs();
        log(`chaos stopped: ${chaos.kills.length} kills, ${chaos.restarts.length} Redis restarts`);
      }
      if (!chaos.active && driver.settled()) break;
      if (elapsedMs() - lastReport > 10_000) {
        lastReport = elapsedMs();
        const by = new Map<string, number>();
        for (const p of driver.plans) by.set(p.state ?? 'unsubmitted', (by.get(p.state ?? 'unsubmitted') ?? 0) + 1);
        log([...by].map(([s, n]) => `${s} ${n}`).join(', '));
      }
      await sleep(300);
    }
    await chaos.stop();
    chaosEndedMs ??= elapsedMs();
    await submitting;
    const settledMs = elapsedMs();

    const problems: string[] = [];
    const stragglers = driver.plans.filter((p) => !driver.isSettled(p));
    for (const p of stragglers) {
      problems.push(
        `straggler ${p.stack} ${p.id ?? '(never submitted)'} in ${p.state ?? 'no state'} (expected ${p.expected}):\n      ${formatHistory(p.id ? await c.plans.history(p.id) : [])}`,
      );
    }
    const busy = await waitForQuietBus(client, stragglers.length ? 5_000 : QUIET_MS);
    problems.push(...busy.map((b) => `consumer group not drained: ${b}`));
    problems.push(...(await deadLetters(client)).map((d) => `dead letter: ${d}`));

    const facts = await collectFacts(c, driver.plans, (stack) => stateAddresses(t.dataDir, stack));
    for (const f of facts) {
      const wrong = planProblems(f);
      if (wrong.length)
        problems.push(
          `${f.stack} ${f.id} (${f.state}):\n      - ${wrong.join('\n      - ')}\n    history:\n      ${formatHistory(f.history)}`,
        );
    }

    const exits = await pool.stop(15_000);
    for (const e of exits)
      if (e.code !== 0)
        problems.push(
          `worker ${e.name} did not stop cleanly on SIGTERM: code ${e.code}, signal ${e.signal}\n${e.stderr}`,
        );
    for (const e of pool.unexpected)
      problems.push(`worker ${e.name} died on its own: code ${e.code}, signal ${e.signal}\n${e.stderr}`);
    if (driver.notes.size) log(`driver notes:\n  ${[...driver.notes].join('\n  ')}`);

    const outcome = new Map<string, number>();
    for (const f of facts) outcome.set(f.state, (outcome.get(f.state) ?? 0) + 1);
    const summary = [
      `seed ${SEED} (replay with CHAOS_SEED=${SEED})`,
      `chaos ran ${(chaosEndedMs / 1000).toFixed(1)} s: ${chaos.kills.length} worker kills, ${pool.started} workers started`,
      `Redis restarts: ${chaos.restarts.map((r) => `${r.hard ? 'SIGKILL' : 'SIGTERM'} at ${(r.atMs / 1000).toFixed(1)} s (down ${r.downMs} ms)`).join(', ')}`,
      `plans rested after ${(settledMs / 1000).toFixed(1)} s: ${[...outcome].map(([s, n]) => `${s} ${n}`).join(', ')}`,
    ].join('\n');
    log(summary);

    expect(
      chaos.restarts.map((r) => r.hard),
      summary,
    ).toEqual([false, true]);
    expect(chaos.kills.length, summary).toBeGreaterThan(0);
    expect(problems, `${summary}\n\n${problems.join('\n\n')}`).toEqual([]);
  }, 300_000);
});
