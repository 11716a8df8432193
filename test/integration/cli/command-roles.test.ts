import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeArtifact } from '../../../src/bus/artifact-bus.js';
import { TOPICS } from '../../../src/bus/topics.js';
import { registerDecideCommands } from '../../../src/cli/commands/decide-command.js';
import { registerStatusCommands } from '../../../src/cli/commands/status-command.js';
import { readConfig } from '../../../src/config/read-config.js';
import { createLogger } from '../../../src/log/create-logger.js';
import { streamKey } from '../../../src/redis/keys.js';
import { ALL_ROLES, ROLE_TOPICS, rolesToRest, type Role } from '../../../src/runtime/crew-roles.js';
import { startCrew, type CrewRuntime } from '../../../src/runtime/start-crew.js';
import { FIXTURES } from '../../support/paths.js';
import { requireBinary, startRedis, type TestRedis } from '../../support/redis-server.js';
import { sleep, waitFor } from '../../support/wait-for.js';
import { runCrewInProcess } from '../../support/run-crew-in-process.js';
import { restoreEnv } from '../../support/restore-env.js';

// The CLI's waiting commands join only the roles their plan still needs, in-process here (the
// process boundary is not what is tested): which consumer groups a command reads is seen in
// what Redis receives (MONITOR), and work for a role it did not join stays in that role's group.

let server: TestRedis;
let redis: Redis;
let dataDir: string;
const saved = { ...process.env };
const SHA = 'd'.repeat(64);
const SUMMARY = { create: 1, update: 0, replace: 0, delete: 0, noop: 0 };
const PASSING_PLAN = readFileSync(join(FIXTURES, 'plans', 'aws-spot-ollama-pass.json'));
const logger = createLogger({ level: 'silent' });

beforeAll(async () => {
  requireBinary('terraform', 'install Terraform >= 1.4 and put it on PATH');
  server = await startRedis({ aof: false });
  redis = server.client();
  dataDir = mkdtempSync(join(tmpdir(), 'crew-roles-'));
  Object.assign(process.env, { REDIS_URL: server.url, CREW_DATA_DIR: dataDir, CREW_LOG_LEVEL: 'error' });
});
afterAll(async () => {
  restoreEnv(saved);
  process.exitCode = undefined;
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Runs one `crew` command in this process: what it printed and its exit code. */
const crew = (...args: string[]) => runCrewInProcess([registerDecideCommands, registerStatusCommands], args);

/** Runs `crew` and names the groups it read (XREADGROUP, seen by MONITOR) as `topic group`, sorted. */
async function crewReading(...args: string[]): Promise<{ out: string; code: number | undefined; read: string[] }> {
  const seen = new Set<string>();
  const watcher = redis.duplicate();
  const monitor = await watcher.monitor();
  monitor.on('monitor', (_time: string, a: string[]) => {
    // XREADGROUP GROUP <group> <consumer> … STREAMS <stream> >
    if (a[0]?.toUpperCase() === 'XREADGROUP') seen.add(`${a.at(-2)}|${a[2]}`);
  });
  try {
    const r = await crew(...args);
    return { ...r, read: [...seen].map(named).sort() };
  } finally {
    monitor.disconnect();
    watcher.disconnect();
  }
}

/** `crew:stream:goal.submitted|atlas` → `goal.submitted atlas`. */
function named(key: string): string {
  const [stream = '', group = ''] = key.split('|');
  const topic = TOPICS.find((t) => streamKey('crew', t) === stream) ?? stream;
  return `${topic} ${group}`;
}

const groupsOf = (roles: readonly Role[]) => roles.flatMap((r) => ROLE_TOPICS[r].map((t) => `${t} ${r}`)).sort();

/**
 * A command read no group of a role outside `roles`, and read every group its plan's work went
 * through (`needed`). Groups of its roles that had nothing to do may close before their first
 * read; which groups each role reads is pinned by the test above.
 */
function expectReads(read: string[], roles: readonly Role[], needed: string[]): void {
  const allowed = groupsOf(roles);
  expect(read.filter((g) => !allowed.includes(g))).toEqual([]);
  expect(needed.filter((g) => !read.includes(g))).toEqual([]);
}

/** One group of one stream as XINFO GROUPS reports it. */
async function groupInfo(topic: string, group: string): Promise<Record<string, unknown> | undefined> {
  const rows = (await redis.call('XINFO', 'GROUPS', streamKey('crew', topic))) as unknown[][];
  for (const row of rows) {
    const info: Record<string, unknown> = {};
    for (let i = 0; i + 1 < row.length; i += 2) info[String(row[i])] = row[i + 1];
    if (info.name === group) return info;
  }
  return undefined;
}

/** A crew over the CLI's prefix whose clock may stand in the past (a goal submitted long ago). */
function crewAt(roles: Role[], now?: () => Date): CrewRuntime {
  const config = readConfig({ REDIS_URL: server.url, CREW_DATA_DIR: dataDir });
  return startCrew({ config, logger, redis, roles, ...(now ? { now } : {}) });
}

/** A plan through Forge's plan file to VALIDATING, or on to its review (WAIT_FOR_APPROVE). */
async function walkedPlan(c: CrewRuntime, to: 'VALIDATING' | 'WAIT_FOR_APPROVE'): Promise<string> {
  const id = `p-${randomBytes(4).toString('hex')}`;
  await c.plans.create({ id, goal: 'g', requestedBy: 'alice', stack: id });
  expect(await c.lock.acquire(id, id, async () => false)).toEqual({ ok: true });
  const events = ['PLAN_SPEC', 'FORGE_ACK', 'PLAN_READY', 'VALIDATION_PASS', 'REVIEW_POSTED'] as const;
  for (const e of to === 'VALIDATING' ? events.slice(0, 3) : events) {
    const planFile = { path: `/plans/${id}.tfplan`, sha256: SHA };
    await c.plans.advance(id, e, 'test', e, e === 'PLAN_READY' ? { planSha256: SHA, planFile, summary: SUMMARY } : {});
  }
  return id;
}

describe('the roles each part of the pipeline needs', () => {
  it('follows the state machine to the next resting state', () => {
    expect(rolesToRest('DRAFTING')).toEqual([...ALL_ROLES]);
    // An apply may find the stack moved and re-plan (Forge, then Sentinel), or fail into a rollback.
    expect(rolesToRest('APPLYING')).toEqual(['conductor', 'forge', 'sentinel']);
    expect(rolesToRest('VALIDATING')).toEqual(['conductor', 'sentinel']);
    expect(rolesToRest('ROLLBACK')).toEqual(['conductor', 'forge']);
    expect(rolesToRest('READY_FOR_APPLY')).toEqual(['conductor']);
    for (const resting of ['WAIT_FOR_APPROVE', 'DONE', 'REJECTED', 'FAILED'] as const)
      expect(rolesToRest(resting)).toEqual([]);
    expect(rolesToRest('REJECTED', ['conductor'])).toEqual(['conductor']);
  });

  it('each role reads exactly the groups ROLE_TOPICS names for it', async () => {
    for (const role of ALL_ROLES) {
      const prefix = `t${randomBytes(4).toString('hex')}`;
      const expected = ROLE_TOPICS[role].map((t) => `${t} ${role}`).sort();
      const read = new Set<string>();
      const watcher = redis.duplicate();
      const monitor = await watcher.monitor();
      monitor.on('monitor', (_time: string, a: string[]) => {
        const topic = TOPICS.find((t) => a.at(-2) === streamKey(prefix, t));
        if (a[0]?.toUpperCase() === 'XREADGROUP' && topic) read.add(`${topic} ${a[2]}`);
      });
      const config = readConfig({ REDIS_URL: server.url, CREW_DATA_DIR: dataDir });
      const c = startCrew({ config, logger, redis, prefix, roles: [role] });
      try {
        // Every subscription starts at once: once the expected ones read, any other would have too.
        await waitFor(() => expected.every((g) => read.has(g)), { what: `${role} reading its groups` });
        await sleep(300);
        expect([...read].sort()).toEqual(expected);
      } finally {
        await c.close();
        monitor.disconnect();
        watcher.disconnect();
      }
    }
  });
});

describe('commands that wait join only the roles their plan needs', () => {
  it('crew reject reads only the Conductor’s groups; a goal left for Atlas stays undelivered until crew wait takes it', async () => {
    // A goal submitted ten minutes ago by a process that ran no agent: it waits for Atlas.
    const past = () => new Date(Date.now() - 10 * 60_000);
    const submitter = crewAt([], past);
    const goal = await submitter.ops.submitGoal(
      { text: 'private Ollama on spot g4dn.xlarge, stack roles-goal', requestedBy: 'alice' },
      'cli',
    );
    if (!goal.ok) throw new Error(goal.refusal);
    const waiting = await walkedPlan(submitter, 'WAIT_FOR_APPROVE');
    await submitter.close();
    const goals = streamKey('crew', 'goal.submitted');
    expect(await redis.xlen(goals)).toBe(1);

    const rejected = await crewReading('reject', waiting, '--as', 'bob', '--json');
    expect(rejected.code).toBe(0);
    expect(JSON.parse(rejected.out)).toMatchObject({ id: waiting, state: 'REJECTED' });
    expectReads(rejected.read, ['conductor'], ['approval.decision conductor']);
    // Its Conductor's sweep republished the old goal for Atlas (reconcile): it went to the stream…
    expect(await redis.xlen(goals)).toBe(2);
    // …and stayed there: Atlas's group exists, nothing of it was delivered or claimed.
    expect(await groupInfo('goal.submitted', 'atlas')).toMatchObject({
      consumers: 0,
      pending: 0,
      'last-delivered-id': '0-0',
    });
    for (const role of ['atlas', 'forge', 'sentinel'] as const)
      for (const topic of ROLE_TOPICS[role]) expect(await groupInfo(topic, role)).toMatchObject({ pending: 0 });
    expect((await crewReading('status', goal.value.id, '--json')).read).toEqual([]);

    // `crew wait` on the drafting plan joins every role (Atlas first), and the goal becomes a reviewed plan.
    const resumed = await crewReading('wait', goal.value.id, '--json', '--timeout', '120');
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.out)).toMatchObject({
      id: goal.value.id,
      state: 'WAIT_FOR_APPROVE',
      stack: 'roles-goal',
    });
    expectReads(resumed.read, ALL_ROLES, [
      'goal.submitted atlas',
      'plan.pending conductor',
      'build.request forge',
      'build.status conductor',
      'validate.pending conductor',
      'validate.pending sentinel',
      'validate.result conductor',
    ]);
    expect(await groupInfo('goal.submitted', 'atlas')).toMatchObject({ pending: 0, lag: 0 });
    // On a plan that already rests, `crew wait` joins nothing.
    const rested = await crewReading('wait', waiting, '--json');
    expect(JSON.parse(rested.out)).toMatchObject({ state: 'REJECTED' });
    expect(rested.read).toEqual([]);
  });

  it('crew wait on a plan under validation joins the Conductor and Sentinel only, and brings it to its review', async () => {
    const c = crewAt([]);
    const id = await walkedPlan(c, 'VALIDATING');
    // Forge's request to Sentinel, with the plan JSON in the artifact store (this host never saw it).
    const planJson = { path: '/elsewhere/plan.json', sha256: await c.artifacts.put('plan-json', id, PASSING_PLAN) };
    const request = { stack: id, planFile: { path: `/plans/${id}.tfplan`, sha256: SHA }, planJson, summary: SUMMARY };
    await c.bus.publish('validate.pending', makeArtifact('ValidateRequest', id, request, { producer: 'forge' }));
    await c.close();
    const r = await crewReading('wait', id, '--json', '--timeout', '60');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ id, state: 'WAIT_FOR_APPROVE', validation: { verdict: 'PASS' } });
    expectReads(r.read, ['conductor', 'sentinel'], ['validate.pending sentinel', 'validate.result conductor']);
  });
});
