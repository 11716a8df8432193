import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonOf, makeCrewEnv, type CrewEnv } from '../../support/crew-env.js';

let t: CrewEnv;
let waiting: string; // a plan waiting for approval
let done: string; // an applied plan

/** Everything the store knows about a plan, to prove a refusal changed nothing. */
async function snapshot(id: string) {
  const plans = t.plans();
  return { plan: await plans.get(id), history: await plans.history(id) };
}

beforeAll(async () => {
  t = await makeCrewEnv();
  waiting = jsonOf<{ id: string }>(
    await t.crew(['plan', 'private Ollama on spot g4dn.xlarge, stack bad-wait', '--as', 'alice', '--json']),
  ).id;
  done = jsonOf<{ id: string }>(
    await t.crew(['plan', 'private Ollama on spot g4dn.xlarge, stack bad-done', '--as', 'alice', '--json']),
  ).id;
  const approved = await t.crew(['approve', done, '--as', 'bob']);
  if (approved.code !== 0) throw new Error(`setup approve failed: ${approved.stderr}`);
});
afterAll(async () => t.close());

describe('bad CLI input: a clear message, a non-zero exit, no state change', () => {
  it('an empty goal', async () => {
    const before = (await t.plans().recent(100)).length;
    const r = await t.crew(['plan', '   ', '--as', 'alice']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the goal is empty');
    expect((await t.plans().recent(100)).length).toBe(before);
  });

  it('a 20 KB goal', async () => {
    const before = (await t.plans().recent(100)).length;
    const r = await t.crew(['plan', `private Ollama ${'x'.repeat(20_000)}`, '--as', 'alice']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/the goal is 20\d{3} characters long; the limit is 4000/);
    expect((await t.plans().recent(100)).length).toBe(before);
  });

  it('an unknown plan id, and something that is not a plan id', async () => {
    for (const cmd of ['approve', 'reject', 'rollback', 'status', 'history']) {
      const r = await t.crew([cmd, 'p-doesnotexist']);
      expect(r.code, cmd).toBe(1);
      expect(r.stderr, cmd).toContain('no plan with id p-doesnotexist');
    }
    const r = await t.crew(['status', '../../etc/passwd']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('is not a plan id');
  });

  it('approving twice', async () => {
    const before = await snapshot(done);
    const r = await t.crew(['approve', done, '--as', 'bob']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`plan ${done} is DONE: only a plan waiting for approval can be approved`);
    expect(await snapshot(done)).toEqual(before);
  });

  it('rollback before apply', async () => {
    const before = await snapshot(waiting);
    const r = await t.crew(['rollback', waiting, '--as', 'alice']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`plan ${waiting} is WAIT_FOR_APPROVE: only an applied plan (DONE) can be rolled back`);
    expect(await snapshot(waiting)).toEqual(before);
  });

  it('self-approval and a wrong --budget', async () => {
    const before = await snapshot(waiting);
    const self = await t.crew(['approve', waiting, '--as', 'alice']);
    expect(self.code).toBe(3);
    expect(self.stderr).toContain('four-eyes');
    const budget = await t.crew(['plan', 'private Ollama', '--budget', 'lots']);
    expect(budget.code).toBe(1);
    expect(budget.stderr).toContain('--budget lots is not an amount in USD');
    const after = await snapshot(waiting);
    expect(after.plan?.state).toBe(before.plan?.state);
    expect(after.history).toEqual(before.history);
  });

  it('approve after reject', async () => {
    const rejected = await t.crew(['reject', waiting, '--as', 'carol', '--reason', 'too big']);
    expect(rejected.code, rejected.stderr).toBe(0);
    const before = await snapshot(waiting);
    const r = await t.crew(['approve', waiting, '--as', 'bob']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`plan ${waiting} is REJECTED: only a plan waiting for approval can be approved`);
    expect(await snapshot(waiting)).toEqual(before);
    expect(before.history.at(-1)).toMatchObject({
      from: 'WAIT_FOR_APPROVE',
      to: 'REJECTED',
      by: 'carol',
      reason: 'too big',
    });
  });

  it('an unknown command or option', async () => {
    const r = await t.crew(['plna', 'x']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("unknown command 'plna'");
  });
});
