import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlanRecord } from '../../../src/plan/plan-record.js';
import { StackStore } from '../../../src/store/stack-store.js';
import { jsonOf, makeCrewEnv, stateAddresses, type CrewEnv } from '../../support/crew-env.js';
import { sleep } from '../../support/wait-for.js';

// A team that only uses the CLI: no crew process runs while a plan waits for its approval,
// here longer than the stack lock's lease (2 s). A second plan for the stack must not be let
// in meanwhile, nor built from the spec it was drafted with before the first applied (it is
// drafted again at its turn), and the stack's history must let a rollback restore, never destroy, the first
// plan's stack.

let t: CrewEnv;
let client: Redis;
beforeAll(async () => {
  t = await makeCrewEnv({ CREW_LOCK_TTL_SEC: '2' });
  client = t.redis.client();
});
afterAll(async () => t.close());

async function planWithGoal(text: string, timeoutMs = 60_000): Promise<PlanRecord> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await t.plans().recent(10)).find((p) => p.goal === text && p.state !== 'DRAFTING');
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no plan for "${text}" left DRAFTING`);
    await sleep(200);
  }
}

describe('a plan waiting for approval longer than the stack lock lease', () => {
  it('keeps its stack: a later plan queues, is not built on what it applied, and a rollback returns to it rather than destroying it', async () => {
    const stack = 'lease-overnight';
    const first = jsonOf<{ id: string; state: string }>(
      await t.crew(['plan', `private Ollama on spot g4dn.xlarge, stack ${stack}`, '--as', 'alice', '--json']),
    );
    expect(first.state).toBe('WAIT_FOR_APPROVE');
    await sleep(3_000); // nobody runs a crew process: the lease expires

    const goal = `private Ollama on 2 spot g4dn.xlarge instances, stack ${stack}`;
    const planning = t.start(['plan', goal, '--as', 'carol', '--json']);
    const queued = await planWithGoal(goal);
    expect(queued).toMatchObject({ state: 'PENDING', queuedBehind: first.id });
    // The lease (2 s here) may lapse again before this read on a loaded machine; what must never
    // happen is the second plan holding the stack while the first waits for its approval.
    expect([first.id, null]).toContain(await client.get(`crew:stack:{stack:${stack}}:lock`));

    expect((await t.crew(['approve', first.id, '--as', 'bob'])).code).toBe(0);
    // Drafted while no stack stood, the queued plan is drafted again at its turn against version 1.
    const second = await planning.done;
    expect(second.code, second.stderr).toBe(0);
    expect(await t.plans().get(queued.id)).toMatchObject({ state: 'WAIT_FOR_APPROVE', baseVersion: 1 });
    expect((await t.plans().history(queued.id)).map((h) => h.to)).toContain('DRAFTING');

    expect((await t.crew(['approve', queued.id, '--as', 'bob'])).code).toBe(0);
    const stacks = new StackStore({ redis: client });
    expect(await stacks.currentVersion(stack)).toBe(2);
    const rolledBack = await t.crew(['rollback', queued.id, '--as', 'carol', '--json']);
    expect(rolledBack.code, rolledBack.stderr).toBe(0);
    expect(jsonOf(rolledBack)).toMatchObject({ state: 'ROLLED_BACK', rollback: { toVersion: 1 } });
    // The first plan's stack is back, not destroyed.
    expect(await stacks.currentVersion(stack)).toBe(1);
    expect(await stacks.currentPlanId(stack)).toBe(first.id);
    expect((await stateAddresses(t.dataDir, stack)).length).toBeGreaterThan(5);
  });
});
