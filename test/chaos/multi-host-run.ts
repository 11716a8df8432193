import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { Pool } from 'pg';
import { readConfig } from '../../src/config/read-config.js';
import { createLogger } from '../../src/log/create-logger.js';
import { openSharedStores, type SharedStores } from '../../src/runtime/open-shared-stores.js';
import { startCrew, type CrewRuntime } from '../../src/runtime/start-crew.js';
import { pgSchemaName } from '../../src/agents/forge/render-backend.js';
import { openDatabase } from '../../src/store/open-database.js';
import { makeHostNetwork, type HostNetwork } from '../support/host-network.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres-database.js';
import { requireBinary, startRedis, type TestRedis } from '../support/redis-server.js';
import { CREW_BIN } from '../support/run-crew.js';
import { startTcpForwarder, type TcpForwarder } from '../support/tcp-forwarder.js';
import { sleep } from '../support/wait-for.js';
import { auditProblems, type AuditedRow } from './check-audit.js';
import { ChaosLoop } from './chaos-loop.js';
import { formatHistory, planProblems } from './check-plan.js';
import { collectFacts, deadLetters, waitForQuietBus } from './collect-facts.js';
import { killStrays } from './kill-strays.js';
import { PlanDriver } from './plan-driver.js';
import { SeededRandom } from './seeded-random.js';
import { WorkerPool } from './worker-pool.js';

// Three worker "hosts", each a network namespace with its own empty data dir per worker
// start, sharing only a Redis and a PostgreSQL reached over the hosts' bridge. kill -9 of
// random workers (each restarted on its host), a Redis SIGKILL and a drop of every PostgreSQL
// connection to the crew's database, while the plans go from goal to DONE (some on to
// ROLLED_BACK).

export interface MultiHostBudget {
  plans: number;
  rollbacks: number;
  hosts: number;
  /** The chaos stops by then at the latest; every plan must rest by settleByMs. */
  chaosMaxMs: number;
  settleByMs: number;
  /** The Redis restart and the PostgreSQL drop come when enough plans got far enough, or at these times. */
  forceRedisMs: number;
  forcePgMs: number;
  /** How long the bus and the audit may take to catch up once the plans rest. */
  quietMs: number;
  /** The pause between two faults, in ms. */
  pauseMs: readonly [number, number];
}

export interface MultiHostFigures {
  seed: number;
  plans: number;
  kills: number;
  workersStarted: number;
  redisRestarts: number;
  /** PostgreSQL backends of the crew's database terminated by the drop. */
  pgBackendsDropped: number;
  pgDrops: number;
  /** Plans not in their expected terminal state. */
  lost: number;
  /** Plans applied more than once (two APPLYING→DONE, or two stack versions). */
  doubleApplies: number;
  /** Plans whose PostgreSQL audit is incomplete or out of order. */
  auditIncomplete: number;
  wallMs: number;
  summary: string;
  problems: string[];
}

/** Everything the run made, closed in reverse order whatever happened. */
class Resources {
  private readonly closers: Array<() => Promise<unknown> | unknown> = [];
  add(close: () => Promise<unknown> | unknown): void {
    this.closers.push(close);
  }
  async close(): Promise<void> {
    for (const close of this.closers.reverse()) await Promise.resolve(close()).catch(() => undefined);
  }
}

/** `terraform state list`, read from the pg backend's table (the stack's schema in `db`). */
async function pgStateAddresses(db: TestDatabase, stack: string): Promise<string[]> {
  const text = await db
    .query(`select data from "${pgSchemaName(stack)}".states where name = 'default'`)
    .catch(() => '');
  if (!text) return [];
  const state = JSON.parse(text) as { resources?: Array<{ mode: string; type: string; name: string }> };
  return (state.resources ?? []).filter((r) => r.mode === 'managed').map((r) => `${r.type}.${r.name}`);
}

async function auditRows(db: TestDatabase): Promise<Map<string, AuditedRow[]>> {
  const text = await db.query(
    `select coalesce(json_agg(json_build_object('plan_id', plan_id, 'kind', kind, 'seq', seq, 'from_state', from_state,
       'to_state', to_state, 'event', event, 'at', at) order by id), '[]') from crew_audit`,
  );
  const byPlan = new Map<string, AuditedRow[]>();
  for (const r of JSON.parse(text) as AuditedRow[]) byPlan.set(r.plan_id, [...(byPlan.get(r.plan_id) ?? []), r]);
  return byPlan;
}

export async function runMultiHostChaos(
  seed: number,
  b: MultiHostBudget,
  log: (m: string) => void,
): Promise<MultiHostFigures> {
  requireBinary('terraform', 'install Terraform >= 1.4 and put it on PATH');
  requireBinary('psql', 'apt-get install postgresql-client');
  const res = new Resources();
  const setupStarted = Date.now();
  try {
    const net: HostNetwork = await makeHostNetwork(b.hosts);
    res.add(() => net.close());
    log(`hosts ${net.hosts.map((h) => `${h.ns} (${h.address})`).join(', ')} on ${net.subnet}`);
    const crewDb = await createTestDatabase();
    res.add(() => crewDb.drop());
    const stateDb = await createTestDatabase();
    res.add(() => stateDb.drop());
    const redis: TestRedis = await startRedis({ host: net.address });
    res.add(() => redis.stop());
    const pgRelay: TcpForwarder = await startTcpForwarder(net.address, { host: '127.0.0.1', port: 5432 });
    res.add(() => pgRelay.close());
    const pgUrl = (db: string) => `postgres://postgres@${net.address}:${pgRelay.port}/${db}`;
    const root = mkdtempSync(join(tmpdir(), 'crew-hosts-'));
    res.add(() => rmSync(root, { recursive: true, force: true }));
    res.add(() => killStrays(root));

    const env = {
      PATH: process.env.PATH ?? '',
      REDIS_URL: redis.url,
      CREW_DATABASE_URL: pgUrl(crewDb.name),
      CREW_TF_BACKEND: 'pg',
      CREW_TF_PG_CONN: `${pgUrl(stateDb.name)}?sslmode=disable`,
    };
    // A worker's disk: a new empty dir on its host each time it starts, HOME and TMPDIR in it.
    const pool = new WorkerPool(env, b.hosts, (slot, name) => {
      const dataDir = join(root, `host-${slot}`, name);
      mkdirSync(join(dataDir, 'tmp'), { recursive: true });
      return {
        command: net.exec(slot)[0]!,
        args: [...net.exec(slot).slice(1), process.execPath, CREW_BIN, 'worker'],
        env: { ...env, HOME: dataDir, TMPDIR: join(dataDir, 'tmp'), CREW_DATA_DIR: dataDir },
      };
    });
    res.add(() => pool.killAll());
    pool.start();
    // The chaos starts once the hosts are up: booting them is not what is measured.
    if (!(await pool.waitReady(90_000))) log('some workers were not ready after 90 s');
    const started = Date.now();
    const elapsedMs = () => Date.now() - started;

    // The test plays the people from the root namespace, through the same Redis and PostgreSQL.
    const client = new Redis(redis.url, { maxRetriesPerRequest: null, retryStrategy: (n) => Math.min(50 * n, 1000) });
    client.on('error', () => undefined);
    res.add(() => client.disconnect());
    const config = readConfig({ ...env, CREW_DATA_DIR: join(root, 'people'), CREW_LOG_LEVEL: 'silent' });
    const logger = createLogger({ level: 'silent' });
    const pgPool: Pool = await openDatabase({ url: env.CREW_DATABASE_URL });
    res.add(() => pgPool.end());
    const shared: SharedStores = openSharedStores({ config, pool: pgPool, redis: client, logger })!;
    res.add(() => shared.close());
    const crew: CrewRuntime = startCrew({
      config,
      logger,
      redis: client,
      roles: [],
      artifacts: shared.artifacts,
      audit: shared.audit,
    });
    res.add(() => crew.close());

    const planRng = new SeededRandom(seed);
    const chaosRng = new SeededRandom((seed ^ 0x9e3779b9) >>> 0);
    const driver = new PlanDriver(crew, b.plans, planRng.sample(b.plans, b.rollbacks));
    const redisAfter = planRng.int(Math.ceil(b.plans / 10), Math.ceil(b.plans / 3));
    const pgAfter = planRng.int(Math.ceil(b.plans / 10), Math.ceil(b.plans / 2));
    const applied = () =>
      driver.count((p) => p.state === 'DONE' || p.state === 'ROLLBACK' || p.state === 'ROLLED_BACK');
    log(`Redis SIGKILLed after ${redisAfter} approvals; PostgreSQL connections dropped after ${pgAfter} applies`);
    let dropped = 0;
    const chaos = new ChaosLoop({
      pool,
      redis,
      rng: chaosRng,
      log,
      elapsedMs,
      redisRestarts: [true],
      pauseMs: b.pauseMs,
      killReadyOnly: true,
      killFirst: true,
      restartDue: () => elapsedMs() > b.forceRedisMs || driver.count((p) => p.approved.size > 0) >= redisAfter,
      faults: [
        {
          name: 'PostgreSQL connection drop',
          due: () => elapsedMs() > b.forcePgMs || applied() >= pgAfter,
          // Pools close idle connections: wait (up to 30 s) until the crew holds some to drop.
          run: async () => {
            const deadline = Date.now() + 30_000;
            let n = 0;
            while (n === 0 && Date.now() < deadline) {
              n = Number(
                await crewDb.query(
                  `select count(pg_terminate_backend(pid)) from pg_stat_activity where datname = '${crewDb.name}' and pid <> pg_backend_pid()`,
                ),
              );
              if (n === 0) await sleep(200);
            }
            dropped += n;
            return `${n} backends of ${crewDb.name} terminated`;
          },
        },
      ],
    });
    chaos.start();
    const submitting = driver.submitAll(planRng);

    let chaosEndedMs: number | undefined;
    let lastReport = 0;
    const allFaults = () => chaos.restarts.length === 1 && chaos.faultsMade.length === 1;
    while (elapsedMs() < b.settleByMs) {
      await driver.poll();
      if (chaos.active && (elapsedMs() > b.chaosMaxMs || (driver.settled() && allFaults()))) {
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
    for (const p of stragglers)
      problems.push(
        `straggler ${p.stack} ${p.id ?? '(never submitted)'} in ${p.state ?? 'no state'} (expected ${p.expected}):\n      ${formatHistory(p.id ? await crew.plans.history(p.id) : [])}`,
      );
    const busy = await waitForQuietBus(client, stragglers.length ? 5_000 : b.quietMs);
    problems.push(...busy.map((x) => `consumer group not drained: ${x}`));
    problems.push(...(await deadLetters(client)).map((d) => `dead letter: ${d}`));

    const facts = await collectFacts(crew, driver.plans, (stack) => pgStateAddresses(stateDb, stack));
    let lost = 0;
    let doubleApplies = 0;
    for (const f of facts) {
      if (f.state !== f.expected) lost++;
      const applies = f.history.filter((h) => h.from === 'APPLYING' && h.to === 'DONE').length;
      if (applies > 1 || f.versions.length > 1) doubleApplies++;
      const wrong = planProblems(f);
      if (wrong.length)
        problems.push(
          `${f.stack} ${f.id} (${f.state}):\n      - ${wrong.join('\n      - ')}\n    history:\n      ${formatHistory(f.history)}`,
        );
    }

    // The audit catches up (outbox drains, restarted workers fill in what a kill lost): wait for it.
    const trails = await Promise.all(
      facts.map(async (f) => ({
        id: f.id,
        history: f.history,
        refusals: (await crew.plans.auditLog(f.id)).length,
        approvals: driver.plans.find((p) => p.id === f.id)?.approved.size ?? 0,
      })),
    );
    let audit: string[] = [];
    const auditDeadline = Date.now() + b.quietMs;
    for (;;) {
      const rows = await auditRows(crewDb);
      audit = trails.flatMap((t) => auditProblems(t, rows.get(t.id) ?? []).map((p) => `${t.id}: ${p}`));
      if (audit.length === 0 || Date.now() > auditDeadline) break;
      await sleep(1_000);
    }
    const auditIncomplete = new Set(audit.map((a) => a.split(':')[0])).size;
    problems.push(...audit.map((a) => `audit in PostgreSQL: ${a}`));

    // A worker still booting has no SIGTERM handler yet: let the last replacements come up first.
    if (!(await pool.waitReady(60_000))) log('some workers were not ready before the stop');
    const exits = await pool.stop(15_000);
    for (const e of exits)
      if (e.code !== 0)
        problems.push(
          `worker ${e.name} did not stop cleanly on SIGTERM: code ${e.code}, signal ${e.signal}\n${e.stderr}`,
        );
    for (const e of pool.unexpected)
      problems.push(`worker ${e.name} died on its own: code ${e.code}, signal ${e.signal}\n${e.stderr}`);
    if (chaos.restarts.length !== 1) problems.push(`${chaos.restarts.length} Redis restarts made, expected 1`);
    if (chaos.faultsMade.length !== 1) problems.push('the PostgreSQL connection drop was never made');
    if (chaos.kills.length === 0) problems.push('no worker was killed');
    if (dropped === 0) problems.push('the PostgreSQL drop terminated no connection: nothing was tested');
    if (driver.notes.size) log(`driver notes:\n  ${[...driver.notes].join('\n  ')}`);

    const outcome = new Map<string, number>();
    for (const f of facts) outcome.set(f.state, (outcome.get(f.state) ?? 0) + 1);
    const figures = {
      seed,
      plans: b.plans,
      kills: chaos.kills.length,
      workersStarted: pool.started,
      redisRestarts: chaos.restarts.length,
      pgDrops: chaos.faultsMade.length,
      pgBackendsDropped: dropped,
      lost,
      doubleApplies,
      auditIncomplete,
      wallMs: Date.now() - setupStarted,
    };
    const summary = [
      `seed ${seed} (replay with CHAOS_SEED=${seed}), ${b.hosts} hosts, ${b.plans} plans`,
      `chaos ran ${(chaosEndedMs / 1000).toFixed(1)} s: ${chaos.kills.length} worker kills, ${pool.started} workers started`,
      `Redis restarts: ${chaos.restarts.map((r) => `${r.hard ? 'SIGKILL' : 'SIGTERM'} at ${(r.atMs / 1000).toFixed(1)} s (down ${r.downMs} ms)`).join(', ')}`,
      `PostgreSQL: ${chaos.faultsMade.map((f) => `${f.what} at ${(f.atMs / 1000).toFixed(1)} s`).join(', ') || 'no drop'}`,
      `plans rested after ${(settledMs / 1000).toFixed(1)} s: ${[...outcome].map(([s, n]) => `${s} ${n}`).join(', ')}`,
      `lost ${lost}, double applies ${doubleApplies}, incomplete audits ${auditIncomplete}, wall ${(figures.wallMs / 1000).toFixed(1)} s`,
    ].join('\n');
    log(summary);
    return { ...figures, summary, problems };
  } finally {
    await res.close();
  }
}
