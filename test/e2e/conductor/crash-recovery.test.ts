import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StackStore } from '../../../src/store/stack-store.js';
import { jsonOf, makeCrewEnv, stateAddresses, type CrewEnv } from '../../support/crew-env.js';
import { PATH_TO_DONE } from '../../support/plan-paths.js';

// kill -9 right after a plan enters each non-terminal state (CREW_FAULT_KILL_AT makes the
// process SIGKILL itself just after the transition is committed, before the next artifact
// goes out — the worst moment), then a new `crew` process must finish the job.

const FULL_PATH = [...PATH_TO_DONE, 'ROLLBACK', 'ROLLED_BACK'];

let t: CrewEnv;
let client: Redis;
beforeAll(async () => {
  t = await makeCrewEnv();
  client = t.redis.client();
});
afterAll(async () => t.close());

async function newestPlanId(): Promise<string> {
  const [p] = await t.plans().recent(1);
  if (!p) throw new Error('no plan was created');
  return p.id;
}

async function killedAt(point: string, args: string[]): Promise<void> {
  const r = await t.crew(args, { CREW_FAULT_KILL_AT: point });
  expect(r.signal, `${point}: ${r.stderr}`).toBe('SIGKILL');
}

async function expectHistory(id: string, path: readonly string[]): Promise<void> {
  const rows = await t.plans().history(id);
  expect(rows.map((r) => r.to)).toEqual(path);
  for (let i = 1; i < rows.length; i++) expect(rows[i]!.from).toBe(rows[i - 1]!.to);
}

async function expectAppliedOnce(stack: string, id: string): Promise<void> {
  const stacks = new StackStore({ redis: client });
  expect(await stacks.currentVersion(stack)).toBe(1); // one apply recorded, not two
  expect(await stacks.currentPlanId(stack)).toBe(id);
  expect((await stateAddresses(t.dataDir, stack)).length).toBeGreaterThan(5);
}

// No budget: the brake counts every applied stack, and these tests apply many.
const goal = (stack: string) => `private Ollama on spot g4dn.xlarge, off on weekends, stack ${stack}`;

describe('kill -9 while planning, then a new crew process resumes', () => {
  for (const state of ['DRAFTING', 'PENDING', 'IN_PROGRESS', 'VALIDATING', 'READY_FOR_APPLY', 'WAIT_FOR_APPROVE']) {
    it(`killed in ${state}`, async () => {
      const stack = `crash-${state.toLowerCase().replaceAll('_', '-')}`;
      await killedAt(state, ['plan', goal(stack), '--as', 'alice']);
      const id = await newestPlanId();
      const resumed = await t.crew(['wait', id, '--json', '--timeout', '90']);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(jsonOf(resumed)).toMatchObject({ id, state: 'WAIT_FOR_APPROVE', stack });
      const approved = await t.crew(['approve', id, '--as', 'bob']);
      expect(approved.code, approved.stderr).toBe(0);
      await expectHistory(id, PATH_TO_DONE);
      await expectAppliedOnce(stack, id);
    });
  }
});

describe('kill -9 while applying or rolling back, then a new crew process resumes', () => {
  for (const point of ['APPLYING', 'forge:after-apply', 'DONE']) {
    it(`killed at ${point}`, async () => {
      const stack = `crash-${point.toLowerCase().replace(/[^a-z]+/g, '-')}`;
      const planned = await t.crew(['plan', goal(stack), '--as', 'alice', '--json']);
      const id = jsonOf<{ id: string }>(planned).id;
      await killedAt(point, ['approve', id, '--as', 'bob']);
      const resumed = await t.crew(['wait', id, '--json', '--timeout', '90']);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(jsonOf(resumed)).toMatchObject({ id, state: 'DONE', version: 1 });
      await expectHistory(id, PATH_TO_DONE);
      await expectAppliedOnce(stack, id);
    });
  }

  it('killed in ROLLBACK', async () => {
    const stack = 'crash-rollback';
    const id = jsonOf<{ id: string }>(await t.crew(['plan', goal(stack), '--as', 'alice', '--json'])).id;
    expect((await t.crew(['approve', id, '--as', 'bob'])).code).toBe(0);
    await killedAt('ROLLBACK', ['rollback', id, '--as', 'alice']);
    const resumed = await t.crew(['wait', id, '--json', '--timeout', '90']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(jsonOf(resumed)).toMatchObject({ id, state: 'ROLLED_BACK' });
    await expectHistory(id, FULL_PATH);
    expect(await stateAddresses(t.dataDir, stack)).toEqual([]);
  });
});
