import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { waitForDecision, waitForPlan } from '../../../src/conductor/wait-for-plan.js';
import { PlanStore } from '../../../src/store/plan-store.js';
import { useTestRedis } from '../../support/redis-server.js';

let redis: Redis;
useTestRedis((_s, c) => (redis = c));

// The safety-net re-read is set far beyond the test's own timeout: only a notification can end these waits.
const NEVER = 3_600_000;

/** A new plan, and its store seen through reads that are counted. */
async function countingReads(id: string) {
  const store = new PlanStore({ redis, prefix: `t${randomBytes(4).toString('hex')}` });
  await store.create({ id, goal: 'g', requestedBy: 'alice' });
  const reads = { get: 0, state: 0 };
  const plans = {
    get: (planId: string) => (reads.get++, store.get(planId)),
    state: (planId: string) => (reads.state++, store.state(planId)),
    watch: store.watch.bind(store),
  };
  return { store, plans, reads };
}

describe('waiting for a plan', () => {
  it("is woken by the plan's own changes, not by a periodic read", async () => {
    const plans = new PlanStore({ redis, prefix: `t${randomBytes(4).toString('hex')}` });
    await plans.create({ id: 'p-wait1', goal: 'g', requestedBy: 'alice' });
    const seen: string[] = [];
    const waiting = waitForPlan(plans, 'p-wait1', ['IN_PROGRESS'], {
      timeoutMs: NEVER,
      fallbackMs: NEVER,
      stop: async (p) => (seen.push(p.queuedBehind ?? p.state), false),
    });
    await new Promise((r) => setTimeout(r, 200));
    await plans.advance('p-wait1', 'PLAN_SPEC', 'atlas', 'parsed');
    await plans.patch('p-wait1', { queuedBehind: 'p-other' });
    await plans.advance('p-wait1', 'FORGE_ACK', 'forge', 'ack');
    expect((await waiting).state).toBe('IN_PROGRESS');
    expect(seen).toContain('p-other');
  }, 20_000);

  it('is woken by the decision being recorded', async () => {
    const plans = new PlanStore({ redis, prefix: `t${randomBytes(4).toString('hex')}` });
    await plans.create({ id: 'p-wait2', goal: 'g', requestedBy: 'alice' });
    const waiting = waitForDecision(plans, 'p-wait2', 'd-1', { timeoutMs: NEVER, fallbackMs: NEVER });
    await new Promise((r) => setTimeout(r, 200));
    await plans.recordDecision('p-wait2', 'd-1', { by: 'bob', decision: 'approve', planSha256: 'abc', accepted: true });
    expect(await waiting).toMatchObject({ by: 'bob', accepted: true });
  }, 20_000);

  it('reads only the state on each change, and the whole record once the plan is there', async () => {
    const { store, plans, reads } = await countingReads('p-wait4');
    const waiting = waitForPlan(plans, 'p-wait4', ['IN_PROGRESS'], { timeoutMs: NEVER, fallbackMs: NEVER });
    await new Promise((r) => setTimeout(r, 200));
    await store.advance('p-wait4', 'PLAN_SPEC', 'atlas', 'parsed', { stack: 's1' });
    await store.patch('p-wait4', { queuedBehind: 'p-other' });
    await store.clearField('p-wait4', 'queuedBehind');
    await store.advance('p-wait4', 'FORGE_ACK', 'forge', 'ack');
    expect(await waiting).toMatchObject({ id: 'p-wait4', state: 'IN_PROGRESS', stack: 's1', goal: 'g' });
    expect(reads.get).toBe(1);
    expect(reads.state).toBeGreaterThanOrEqual(2);
  }, 20_000);

  it('reads nothing when the plan moves to a state it does not wait for (each move announces its state)', async () => {
    const { store, plans, reads } = await countingReads('p-wait5');
    const announced: Array<string | undefined> = [];
    const stop = await store.watch('p-wait5', (movedTo) => announced.push(movedTo));
    const waiting = waitForPlan(plans, 'p-wait5', ['IN_PROGRESS'], { timeoutMs: NEVER, fallbackMs: NEVER });
    await new Promise((r) => setTimeout(r, 200));
    expect(reads.state).toBe(1);
    await store.advance('p-wait5', 'PLAN_SPEC', 'atlas', 'parsed', { stack: 's1' });
    await new Promise((r) => setTimeout(r, 200));
    expect(reads.state).toBe(1);
    // A change that is not a move announces no state: read.
    await store.patch('p-wait5', { queuedBehind: 'p-other' });
    await store.advance('p-wait5', 'FORGE_ACK', 'forge', 'ack');
    expect(await waiting).toMatchObject({ id: 'p-wait5', state: 'IN_PROGRESS' });
    expect(reads.get).toBe(1);
    expect(reads.state).toBeGreaterThanOrEqual(2);
    for (let i = 0; i < 100 && announced.length < 3; i++) await new Promise((r) => setTimeout(r, 20));
    await stop();
    expect(announced).toEqual(['PENDING', undefined, 'IN_PROGRESS']);
  }, 20_000);

  it('reads the whole record at once when a move into a state it waits for wakes it', async () => {
    const { store, plans, reads } = await countingReads('p-wait6');
    const waiting = waitForPlan(plans, 'p-wait6', ['IN_PROGRESS'], { timeoutMs: NEVER, fallbackMs: NEVER });
    await new Promise((r) => setTimeout(r, 200));
    expect(reads).toEqual({ state: 1, get: 0 });
    await store.advance('p-wait6', 'PLAN_SPEC', 'atlas', 'parsed', { stack: 's1' });
    await new Promise((r) => setTimeout(r, 200));
    await store.advance('p-wait6', 'FORGE_ACK', 'forge', 'ack');
    expect(await waiting).toMatchObject({ id: 'p-wait6', state: 'IN_PROGRESS', stack: 's1' });
    // The first read (before any change) was of the state; the move's announcement needed no second.
    expect(reads).toEqual({ state: 1, get: 1 });
  }, 20_000);

  it('refuses a plan that does not exist, naming it', async () => {
    const plans = new PlanStore({ redis, prefix: `t${randomBytes(4).toString('hex')}` });
    await expect(waitForPlan(plans, 'p-nowhere', ['DONE'], { timeoutMs: NEVER })).rejects.toThrow(
      'no plan with id p-nowhere',
    );
  });

  it('says how long it waited and where the plan is when the timeout passes', async () => {
    const plans = new PlanStore({ redis, prefix: `t${randomBytes(4).toString('hex')}` });
    await plans.create({ id: 'p-wait3', goal: 'g', requestedBy: 'alice' });
    await expect(waitForPlan(plans, 'p-wait3', ['DONE'], { timeoutMs: 300 })).rejects.toThrow(
      'plan p-wait3 is still DRAFTING after 0 s',
    );
  });
});
