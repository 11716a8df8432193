import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDriftChecks, type DriftRunOptions } from '../../../../src/agents/forge/drift-run.js';
import { adoptDrift, revertDrift } from '../../../../src/agents/forge/drift-triage.js';
import { waitForPlan } from '../../../../src/conductor/wait-for-plan.js';
import { readConfig, type CrewConfig } from '../../../../src/config/read-config.js';
import { createLogger } from '../../../../src/log/create-logger.js';
import type { PlanRecord } from '../../../../src/plan/plan-record.js';
import { buildDriftChecks } from '../../../../src/runtime/build-drift-checks.js';
import { startCrew, type CrewRuntime } from '../../../../src/runtime/start-crew.js';
import { DriftStore } from '../../../../src/store/drift-store.js';
import { startRedis, type TestRedis } from '../../../support/redis-server.js';
import { editSandboxState } from '../../../support/sandbox-state-edit.js';
import { requireTerraform } from '../../../support/terraform-harness.js';

// Drift triage on the sandbox with the real terraform binary: a stack is applied through the
// pipeline, changed behind the crew's back (its state edited), then Revert and Adopt must each
// make a normal plan that waits for approval; after approval the drift check is clean.

const STACK = 'triage-dev';
let server: TestRedis;
let redis: Redis;
let crew: CrewRuntime;
let dataDir: string;
let config: Readonly<CrewConfig>;
let prefix: string;
let store: DriftStore;
const tfEnv: Record<string, string> = {};

function checks(): DriftRunOptions {
  return buildDriftChecks({ config, redis, crew, logger: createLogger({ level: 'silent' }), prefix });
}
const triage = () => ({ ops: crew.ops, stacks: crew.stacks, store });

async function checkStack() {
  const r = await runDriftChecks(checks(), 'cli', STACK);
  if (!r.ok) throw new Error(r.refusal);
  return r.run.stacks[0]!;
}

async function until(id: string, states: PlanRecord['state'][]): Promise<PlanRecord> {
  const p = await waitForPlan(crew.plans, id, [...states, 'BLOCKED', 'FAILED'], { timeoutMs: 60_000 });
  if (!states.includes(p.state)) throw new Error(`plan ${id} is ${p.state}: ${p.failure ?? p.blocked?.reason ?? ''}`);
  return p;
}

async function approveAndApply(id: string): Promise<void> {
  const approved = await crew.ops.decide(id, 'approve', 'bob', 'test');
  if (!approved.ok) throw new Error(approved.refusal);
  await until(id, ['DONE']);
}

/** The ASG's change in a plan's (cloud-mapped) plan JSON. */
async function asgChange(
  plan: PlanRecord,
): Promise<{ actions: string[]; before: Record<string, unknown>; after: Record<string, unknown> }> {
  const bytes = await crew.artifacts.get(plan.planJson!.sha256);
  const json = JSON.parse(bytes!.toString('utf8')) as {
    resource_changes: Array<{ address: string; change: { actions: string[]; before: never; after: never } }>;
  };
  const rc = json.resource_changes.find((r) => r.address === 'aws_autoscaling_group.ollama');
  if (!rc) throw new Error(`no ASG change in ${json.resource_changes.map((r) => r.address).join(', ')}`);
  return rc.change;
}

beforeAll(async () => {
  requireTerraform();
  server = await startRedis({ aof: false });
  redis = server.client();
  dataDir = mkdtempSync(join(tmpdir(), 'crew-triage-'));
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
  crew = startCrew({ config, logger: createLogger({ level: 'silent' }), redis, prefix });
  store = new DriftStore({ redis, prefix });
  const r = await crew.ops.submitGoal(
    {
      text: `private Ollama on spot g4dn.xlarge, 2 instances, budget $2000/month, stack ${STACK}`,
      requestedBy: 'alice',
      target: 'sandbox',
    },
    'test',
  );
  if (!r.ok) throw new Error(r.refusal);
  await until(r.value.id, ['WAIT_FOR_APPROVE']);
  await approveAndApply(r.value.id);
}, 120_000);

afterAll(async () => {
  await crew?.close();
  await server?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('drift triage on the sandbox with the real terraform binary', () => {
  it('Revert plans the approved spec back: the plan restores the value, waits for approval, then the check is clean', async () => {
    const applied = await crew.stacks.current(STACK);
    await editSandboxState(
      dataDir,
      STACK,
      'aws_autoscaling_group__ollama',
      (i) => void (i.desired_capacity = 3),
      tfEnv,
    );
    expect((await checkStack()).drift.map((d) => [d.attribute, d.expected, d.actual])).toEqual([
      ['desired_capacity', 2, 3],
    ]);
    // A report about an older version is refused, changing nothing.
    const stale = await revertDrift(triage(), { stack: STACK, by: 'alice', producer: 'test', version: 99 });
    expect(stale).toMatchObject({ ok: false, refusal: expect.stringContaining('moved on to version') });

    const r = await revertDrift(triage(), { stack: STACK, by: 'alice', producer: 'test', version: applied!.version });
    if (!r.ok) throw new Error(r.refusal);
    const plan = await until(r.value.plan.id, ['WAIT_FOR_APPROVE']);
    expect(plan.requestedBy).toBe('alice');
    expect(plan.spec?.params).toEqual(applied!.spec!.params);
    expect(plan.summary).toMatchObject({ update: 1, create: 0, delete: 0, replace: 0 });
    const change = await asgChange(plan);
    expect([change.before.desired_capacity, change.after.desired_capacity]).toEqual([3, 2]);
    // Never applied without a human: still waiting, and the requester cannot approve it.
    expect((await crew.ops.decide(plan.id, 'approve', 'alice', 'test')).ok).toBe(false);

    await approveAndApply(plan.id);
    expect((await checkStack()).status).toBe('clean');
  }, 120_000);

  it('Adopt writes the observed sizes into the spec; the plan changes nothing on the group', async () => {
    await editSandboxState(
      dataDir,
      STACK,
      'aws_autoscaling_group__ollama',
      (i) => {
        i.desired_capacity = 4;
        i.max_size = 5;
      },
      tfEnv,
    );
    expect((await checkStack()).status).toBe('drifted');
    const r = await adoptDrift(triage(), { stack: STACK, by: 'alice', producer: 'test' });
    if (!r.ok) throw new Error(r.refusal);
    expect(r.value.mapping?.set).toEqual({ desiredCapacity: 4, maxSize: 5 });
    const plan = await until(r.value.plan.id, ['WAIT_FOR_APPROVE']);
    expect(plan.spec?.params).toMatchObject({ desiredCapacity: 4, maxSize: 5 });
    expect(plan.spec?.provenance?.['params.desiredCapacity']).toEqual({ source: 'observed' });
    const change = await asgChange(plan);
    // The group already runs what the spec now says: Terraform has nothing to change on it.
    expect(change.actions).toEqual(['no-op']);
    expect(change.after.desired_capacity).toBe(4);
    expect(change.after.max_size).toBe(5);
    await approveAndApply(plan.id);
    expect((await checkStack()).status).toBe('clean');
    expect((await crew.stacks.current(STACK))?.spec?.params).toMatchObject({ desiredCapacity: 4, maxSize: 5 });
  }, 120_000);

  it('Adopt of an attribute no param maps to is refused with the reason, and no plan is made', async () => {
    await editSandboxState(
      dataDir,
      STACK,
      'aws_security_group__ollama',
      (i) => void (i.description = 'changed in the console'),
      tfEnv,
    );
    expect((await checkStack()).status).toBe('drifted');
    const before = (await crew.plans.recent(50)).length;
    const r = await adoptDrift(triage(), { stack: STACK, by: 'alice', producer: 'test' });
    expect(r).toMatchObject({
      ok: false,
      code: 'refused',
      refusal: expect.stringContaining(
        'aws_security_group.ollama description: no aws-spot-ollama spec param maps to aws_security_group.description',
      ),
    });
    expect((await crew.plans.recent(50)).length).toBe(before);
    expect(await adoptDrift(triage(), { stack: 'no-such-stack', by: 'alice', producer: 'test' })).toMatchObject({
      ok: false,
      code: 'not-found',
    });
  }, 60_000);
});
