import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Artifact } from '../../../../contracts/envelope.js';
import { renderDriftRun } from '../../../../src/agents/forge/drift-render-text.js';
import { runDriftChecks, type DriftRunOptions } from '../../../../src/agents/forge/drift-run.js';
import { snoozeDrift } from '../../../../src/agents/forge/drift-snooze.js';
import { DriftStore } from '../../../../src/store/drift-store.js';
import { waitForPlan } from '../../../../src/conductor/wait-for-plan.js';
import { readConfig, type CrewConfig } from '../../../../src/config/read-config.js';
import { createLogger } from '../../../../src/log/create-logger.js';
import { CrewMetrics } from '../../../../src/observability/crew-metrics.js';
import { stackLockKey } from '../../../../src/redis/keys.js';
import { buildDriftChecks } from '../../../../src/runtime/build-drift-checks.js';
import { startCrew, type CrewRuntime } from '../../../../src/runtime/start-crew.js';
import { StackLock } from '../../../../src/store/stack-lock.js';
import { isScheduledOff } from '../../../../src/agents/forge/is-scheduled-off.js';
import { startRedis, type TestRedis } from '../../../support/redis-server.js';
import { editSandboxState } from '../../../support/sandbox-state-edit.js';
import { requireTerraform } from '../../../support/terraform-harness.js';

// Drift checks on the sandbox target with the real terraform binary: a stack is planned and
// applied through the pipeline, then its state (the sandbox's "cloud") is changed behind the
// crew's back and `runDriftChecks` must report exactly what moved.

const STACK = 'drift-dev';
let server: TestRedis;
let redis: Redis;
let crew: CrewRuntime;
let dataDir: string;
let config: Readonly<CrewConfig>;
let prefix: string;
const tfEnv: Record<string, string> = {};
const events: Array<Artifact<'OpsEvent'>> = [];

function checks(now?: Date): DriftRunOptions {
  const logger = createLogger({ level: 'silent' });
  return buildDriftChecks({ config, redis, crew, logger, prefix, ...(now ? { now: () => now } : {}) });
}

beforeAll(async () => {
  requireTerraform();
  server = await startRedis({ aof: false });
  redis = server.client();
  dataDir = mkdtempSync(join(tmpdir(), 'crew-drift-'));
  const rc = join(dataDir, 'empty.terraformrc');
  writeFileSync(rc, '');
  tfEnv.TF_CLI_CONFIG_FILE = rc;
  config = readConfig({
    CREW_DATA_DIR: dataDir,
    CREW_TZ: 'UTC',
    TF_CLI_CONFIG_FILE: rc,
    PATH: process.env.PATH ?? '',
    CREW_APPROVERS: 'bob',
  });
  prefix = `t${randomBytes(4).toString('hex')}`;
  // Applied with the group running: inside the weekend's off window (FRI 22:00 → MON 07:00 UTC)
  // a plan holds the live size, and the sizes these tests plant would not differ from it. The
  // crew's clock is then set back three days, which takes any time in the window out of it.
  const shiftMs = isScheduledOff(WEEKEND, new Date()) ? 3 * 86_400_000 : 0;
  crew = startCrew({
    config,
    logger: createLogger({ level: 'silent' }),
    redis,
    prefix,
    ...(shiftMs ? { now: () => new Date(Date.now() - shiftMs) } : {}),
  });
  crew.bus.consume('ops.event', 'drift-test', async (a) => {
    if (a.type === 'OpsEvent' && a.payload.kind === 'drift') events.push(a as Artifact<'OpsEvent'>);
  });
  const r = await crew.ops.submitGoal(
    {
      text: `private Ollama on spot g4dn.xlarge, 2 instances, off on weekends, budget $2000/month, stack ${STACK}`,
      requestedBy: 'alice',
      target: 'sandbox',
    },
    'test',
  );
  if (!r.ok) throw new Error(r.refusal);
  const ready = await waitForPlan(crew.plans, r.value.id, ['WAIT_FOR_APPROVE', 'BLOCKED', 'FAILED'], {
    timeoutMs: 60_000,
  });
  if (ready.state !== 'WAIT_FOR_APPROVE') throw new Error(`plan ${ready.state}: ${ready.failure ?? ''}`);
  const approved = await crew.ops.decide(ready.id, 'approve', 'bob', 'test');
  if (!approved.ok) throw new Error(approved.refusal);
  const done = await waitForPlan(crew.plans, ready.id, ['DONE', 'FAILED', 'ROLLED_BACK'], { timeoutMs: 60_000 });
  if (done.state !== 'DONE') throw new Error(`apply ended ${done.state}: ${done.failure ?? ''}`);
}, 120_000);

afterAll(async () => {
  await crew?.close();
  await server?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** What "off on weekends" reads as with CREW_TZ=UTC. */
const WEEKEND = { stop: { day: 'FRI', time: '22:00' }, start: { day: 'MON', time: '07:00' }, timezone: 'UTC' } as const;

// A weekday at noon UTC: the weekend schedule has the group running.
const WEDNESDAY_NOON = new Date('2026-12-02T12:00:00Z');
const SATURDAY_NOON = new Date('2026-12-05T12:00:00Z');

describe('drift checks on the sandbox with the real terraform binary', () => {
  it('a stack nobody touched is clean, and the run says so (result, OpsEvent)', async () => {
    const r = await runDriftChecks(checks(WEDNESDAY_NOON), 'cli');
    if (!r.ok) throw new Error(r.refusal);
    expect(r.run.stacks.map((s) => [s.stack, s.status, s.drift])).toEqual([[STACK, 'clean', []]]);
    expect(renderDriftRun(r.run.stacks).at(-1)).toBe('clean: no drift in 1 stack');
    const ev = await waitForEvent(`drift:${r.run.runId}:${STACK}`);
    expect(ev.payload).toMatchObject({ kind: 'drift', stack: STACK });
    expect(ev.payload.detail).toContain(`${STACK}: no drift`);
    expect(await redis.exists(stackLockKey(prefix, STACK))).toBe(0);
  }, 60_000);

  it('reports each attribute changed out of band, expected → actual, with a planted payload shown as data', async () => {
    const marker = join(dataDir, 'pwned');
    const payload = `<!channel> \${file("/etc/passwd")} $(touch ${marker}) \`touch ${marker}\` \u202e`;
    await editSandboxState(
      dataDir,
      STACK,
      'aws_security_group__ollama',
      (input) => {
        const ingress = input.ingress as Array<Record<string, unknown>>;
        ingress[0]!.cidr_blocks = ['0.0.0.0/0'];
        input.description = payload;
      },
      tfEnv,
    );
    const r = await runDriftChecks(checks(WEDNESDAY_NOON), 'cli', STACK);
    if (!r.ok) throw new Error(r.refusal);
    const [result] = r.run.stacks;
    expect(result?.status).toBe('drifted');
    expect(result?.drift.map((d) => [d.address, d.attribute])).toEqual([
      ['aws_security_group.ollama', 'description'],
      ['aws_security_group.ollama', 'ingress'],
    ]);
    const ingress = result?.drift.find((d) => d.attribute === 'ingress');
    const spec = (await crew.stacks.current(STACK))?.spec;
    const allowed = spec?.blueprint === 'aws-spot-ollama' ? spec.params.allowedCidrs : [];
    expect(allowed.length).toBeGreaterThan(0);
    expect((ingress?.expected as Array<{ cidr_blocks: string[] }>)[0]?.cidr_blocks).toEqual(allowed);
    expect((ingress?.actual as Array<{ cidr_blocks: string[] }>)[0]?.cidr_blocks).toEqual(['0.0.0.0/0']);
    const description = result?.drift.find((d) => d.attribute === 'description');
    expect(description?.actual).toBe(payload);
    // Rendered as a JSON string: quoted, the bidi override escaped; nothing ran.
    const text = renderDriftRun(r.run.stacks).join('\n');
    expect(text).toContain(`${STACK} aws_security_group.ollama description: "Ollama API`);
    expect(text).toContain('\\u202e"');
    expect(text).not.toContain('\u202e');
    expect(existsSync(marker)).toBe(false);
    const metrics = await new CrewMetrics({ redis, plans: crew.plans, prefix, processMetrics: false }).metrics();
    expect(metrics).toContain(`crew_drift_attributes{stack="${STACK}"} 2`);
    expect(metrics).toMatch(
      new RegExp(`crew_drift_checked_timestamp_seconds\\{stack="${STACK}",status="drifted"\\} \\d+`),
    );
    const ev = await waitForEvent(`drift:${r.run.runId}:${STACK}`);
    expect(ev.payload.detail).toContain('aws_security_group.ollama ingress');
    expect(await redis.exists(stackLockKey(prefix, STACK))).toBe(0);
  }, 60_000);

  it('capacity the weekend schedule set is not drift inside the off window; a manual resize is', async () => {
    const spec = (await crew.stacks.current(STACK))?.spec;
    const minSize = spec?.blueprint === 'aws-spot-ollama' ? spec.params.minSize : -1;
    expect(spec?.blueprint === 'aws-spot-ollama' && spec.params.desiredCapacity).toBe(2);
    await editSandboxState(
      dataDir,
      STACK,
      'aws_autoscaling_group__ollama',
      (input) => {
        input.desired_capacity = 0;
        input.min_size = 0;
        input.max_size = 0;
      },
      tfEnv,
    );
    const weekend = await runDriftChecks(checks(SATURDAY_NOON), 'cli', STACK);
    if (!weekend.ok) throw new Error(weekend.refusal);
    const sat = weekend.run.stacks[0];
    expect(sat?.drift.filter((d) => d.address === 'aws_autoscaling_group.ollama')).toEqual([]);
    expect(sat?.owned.map((o) => o.attribute).sort()).toEqual(
      ['desired_capacity', 'max_size', 'min_size'].filter((k) => k !== 'min_size' || minSize > 0),
    );
    expect(sat?.owned[0]?.ownedBy).toMatch(
      /stop action of the weekly schedule \(off FRI 22:00 → MON 07:00 UTC; now inside/,
    );

    // The same sizes on a Wednesday: nothing stopped the group, someone did.
    const weekday = await runDriftChecks(checks(WEDNESDAY_NOON), 'cli', STACK);
    if (!weekday.ok) throw new Error(weekday.refusal);
    const wed = weekday.run.stacks[0];
    expect(
      wed?.drift.filter((d) => d.address === 'aws_autoscaling_group.ollama').map((d) => [d.attribute, d.actual]),
    ).toEqual([['desired_capacity', 0], ['max_size', 0], ...(minSize > 0 ? [['min_size', 0]] : [])]);
  }, 60_000);

  it('never runs while a plan holds the stack, and a plan cannot take the stack from a running check', async () => {
    await crew.plans.create({ id: 'p-holder01', goal: 'g', requestedBy: 'alice', stack: STACK });
    const lock = new StackLock({ redis, prefix });
    expect((await lock.acquire(STACK, 'p-holder01', async () => true)).ok).toBe(true);
    try {
      const r = await runDriftChecks(checks(WEDNESDAY_NOON), 'cli', STACK);
      if (!r.ok) throw new Error(r.refusal);
      expect(r.run.stacks[0]).toMatchObject({ status: 'skipped', note: expect.stringContaining('plan p-holder01') });
      expect(await lock.holder(STACK)).toBe('p-holder01');
    } finally {
      await lock.release(STACK, 'p-holder01');
    }
    // A check's lease is never "an ended plan" to take over, whatever the caller thinks of it.
    const drift = new StackLock({ redis, prefix, ttlMs: 60_000 });
    expect((await drift.acquire(STACK, 'drift:d-test', async () => false)).ok).toBe(true);
    const plan = await lock.acquire(STACK, 'p-other001', async () => true);
    expect(plan).toEqual({ ok: false, holder: 'drift:d-test' });
    await drift.release(STACK, 'drift:d-test');
  }, 60_000);

  it('a snoozed stack is not checked until the date; snoozing is for approvers and is audited', async () => {
    const store = new DriftStore({ redis, prefix });
    const access = { approvers: ['bob'] };
    const base = { store, stacks: crew.stacks, plans: crew.plans, access, now: WEDNESDAY_NOON };
    const denied = await snoozeDrift(base, STACK, '2026-12-20', 'alice');
    expect(denied).toMatchObject({ ok: false, refusal: expect.stringContaining('alice is not an approver') });
    expect(await snoozeDrift(base, STACK, 'next week', 'bob')).toMatchObject({ ok: false });
    expect(await snoozeDrift(base, STACK, '2026-11-01', 'bob')).toMatchObject({ ok: false });
    expect(await store.snoozedAt(STACK, WEDNESDAY_NOON)).toBeUndefined();

    const ok = await snoozeDrift(base, STACK, '2026-12-20', 'bob');
    expect(ok).toMatchObject({ ok: true, snooze: { until: '2026-12-20T23:59:59.000Z', by: 'bob' } });
    const snoozed = await runDriftChecks(checks(WEDNESDAY_NOON), 'cli', STACK);
    if (!snoozed.ok) throw new Error(snoozed.refusal);
    expect(snoozed.run.stacks[0]).toMatchObject({ status: 'snoozed', drift: [] });
    const current = await crew.stacks.current(STACK);
    const audit = await crew.plans.auditLog(current!.planId);
    expect(audit.at(-1)).toMatchObject({ by: 'bob', action: 'drift-snooze' });

    const after = await runDriftChecks(checks(new Date('2026-12-21T12:00:00Z')), 'cli', STACK);
    if (!after.ok) throw new Error(after.refusal);
    expect(after.run.stacks[0]?.status).toBe('drifted');
  }, 60_000);

  it('refuses an unknown stack by name, changing nothing', async () => {
    const r = await runDriftChecks(checks(WEDNESDAY_NOON), 'cli', 'no-such-stack');
    expect(r).toEqual({ ok: false, refusal: `no applied stack named "no-such-stack"; applied stacks: ${STACK}` });
  });
});

async function waitForEvent(cause: string): Promise<Artifact<'OpsEvent'>> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = events.find((e) => e.causationId === cause);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no drift OpsEvent caused by ${cause}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
