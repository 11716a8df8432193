import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import type { PlanSpec } from '../../../contracts/index.js';
import { PlanStore } from '../../../src/store/plan-store.js';
import { StackLock } from '../../../src/store/stack-lock.js';
import { StackStore } from '../../../src/store/stack-store.js';
import { useTestRedis, type TestRedis } from '../../support/redis-server.js';
import { planChangedChannel, planHistoryKey, planKey, stackKey, stackSummaryKey } from '../../../src/redis/keys.js';
import { MOVE_PLAN } from '../../../src/redis/lua-scripts.js';
import { runScript } from '../../../src/redis/run-script.js';

let server: TestRedis;
let redis: Redis;
const prefix = () => `t${randomBytes(4).toString('hex')}`;
const base = { goal: 'g', requestedBy: 'alice' };

useTestRedis((s, c) => ((server = s), (redis = c)));

describe('PlanStore', () => {
  it('creates in DRAFTING, advances through the table and keeps the history in order', async () => {
    const store = new PlanStore({ redis, prefix: prefix() });
    await store.create({ id: 'p-aaaa', ...base });
    const r = await store.advance('p-aaaa', 'PLAN_SPEC', 'atlas', 'parsed', { stack: 'ollama-dev' });
    expect(r).toMatchObject({ status: 'moved', from: 'DRAFTING', to: 'PENDING' });
    await store.advance('p-aaaa', 'FORGE_ACK', 'forge', 'ack');
    const plan = await store.get('p-aaaa');
    expect(plan).toMatchObject({ state: 'IN_PROGRESS', stack: 'ollama-dev' });
    const h = await store.history('p-aaaa');
    expect(h.map((t) => [t.from, t.to, t.by, t.reason])).toEqual([
      ['DRAFTING', 'PENDING', 'atlas', 'parsed'],
      ['PENDING', 'IN_PROGRESS', 'forge', 'ack'],
    ]);
    expect(h.every((t) => !Number.isNaN(Date.parse(t.at)))).toBe(true);
  });

  it('refuses an event the table does not allow, changing nothing', async () => {
    const store = new PlanStore({ redis, prefix: prefix() });
    await store.create({ id: 'p-bbbb', ...base });
    const r = await store.advance('p-bbbb', 'APPROVE', 'bob', 'x');
    expect(r).toMatchObject({ status: 'refused', state: 'DRAFTING' });
    expect(await store.history('p-bbbb')).toEqual([]);
    expect((await store.get('p-bbbb'))?.state).toBe('DRAFTING');
  });

  it('lets exactly one of many concurrent writers win a compare-and-set', async () => {
    const store = new PlanStore({ redis, prefix: prefix() });
    await store.create({ id: 'p-cccc', ...base });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.advance('p-cccc', 'PLAN_SPEC', `w${i}`, 'race')),
    );
    expect(results.filter((r) => r.status === 'moved')).toHaveLength(1);
    expect(await store.history('p-cccc')).toHaveLength(1);
  });

  it('announces a move from the move script itself, once, with the state it moved to', async () => {
    const p = prefix();
    const store = new PlanStore({ redis, prefix: p });
    await store.create({ id: 'p-eeee', ...base });
    const sub = redis.duplicate();
    const heard: string[] = [];
    sub.on('message', (_channel: string, message: string) => heard.push(message));
    await sub.subscribe(planChangedChannel(p, 'p-eeee'));
    try {
      // The script alone, run as the store runs it: the move is announced with no PUBLISH of the caller's.
      const entry = JSON.stringify({ from: 'DRAFTING', to: 'PENDING', event: 'PLAN_SPEC' });
      const keys = [planKey(p, 'p-eeee'), planHistoryKey(p, 'p-eeee')];
      const at = new Date().toISOString();
      expect(await runScript(redis, MOVE_PLAN, keys, ['DRAFTING', 'PENDING', entry, at, 'stack', 's1'])).toBe(1);
      // A lost compare-and-set announces nothing.
      expect(await runScript(redis, MOVE_PLAN, keys, ['DRAFTING', 'PENDING', entry, at])).toBe('PENDING');
      // Through the store: one message a move, not a second from the store.
      expect(await store.advance('p-eeee', 'FORGE_ACK', 'forge', 'ack')).toMatchObject({ to: 'IN_PROGRESS' });
      await redis.ping();
      await sub.ping();
      expect(heard).toEqual(['PENDING', 'IN_PROGRESS']);
      expect(await store.get('p-eeee')).toMatchObject({ state: 'IN_PROGRESS', stack: 's1' });
    } finally {
      sub.disconnect();
    }
  });

  it('refuses to create the same id twice', async () => {
    const store = new PlanStore({ redis, prefix: prefix() });
    await store.create({ id: 'p-dddd', ...base });
    await expect(store.create({ id: 'p-dddd', ...base })).rejects.toThrow('exists already');
  });

  it('keeps plans and history across a Redis restart (AOF)', async () => {
    const p = prefix();
    const store = new PlanStore({ redis, prefix: p });
    await store.create({ id: 'p-eeee', ...base });
    await store.advance('p-eeee', 'PLAN_SPEC', 'atlas', 'parsed');
    await server.restart();
    const fresh = server.client();
    const again = new PlanStore({ redis: fresh, prefix: p });
    expect((await again.get('p-eeee'))?.state).toBe('PENDING');
    expect(await again.history('p-eeee')).toHaveLength(1);
    redis = fresh;
  });
});

describe('StackLock', () => {
  it('is held by one plan; others are refused with the holder named; only the holder releases', async () => {
    const lock = new StackLock({ redis, prefix: prefix() });
    const never = async () => false;
    expect(await lock.acquire('s1', 'p-1111', never)).toEqual({ ok: true });
    expect(await lock.acquire('s1', 'p-1111', never)).toEqual({ ok: true }); // re-entrant for its holder
    expect(await lock.acquire('s1', 'p-2222', never)).toEqual({ ok: false, holder: 'p-1111' });
    expect(await lock.release('s1', 'p-2222')).toBe(false);
    expect(await lock.release('s1', 'p-1111')).toBe(true);
    expect(await lock.acquire('s1', 'p-2222', never)).toEqual({ ok: true });
  });

  it('takes over from a holder whose plan has ended (crash recovery)', async () => {
    const lock = new StackLock({ redis, prefix: prefix() });
    await lock.acquire('s2', 'p-dead', async () => false);
    expect(await lock.acquire('s2', 'p-new1', async (h) => h === 'p-dead')).toEqual({ ok: true });
    expect(await lock.holder('s2')).toBe('p-new1');
  });

  it('expires by TTL as a last resort', async () => {
    const lock = new StackLock({ redis, prefix: prefix(), ttlMs: 100 });
    await lock.acquire('s3', 'p-3333', async () => false);
    await new Promise((r) => setTimeout(r, 200));
    expect(await lock.holder('s3')).toBeUndefined();
  });
});

describe('StackStore', () => {
  it('records one version per plan, idempotently, and sums committed spend', async () => {
    const stacks = new StackStore({ redis, prefix: prefix() });
    const at = '2026-11-21T10:00:00.000Z';
    expect(await stacks.recordApplied('a', { planId: 'p-1', spec: null, monthlyUsd: 100, appliedAt: at })).toBe(1);
    expect(await stacks.recordApplied('a', { planId: 'p-1', spec: null, monthlyUsd: 100, appliedAt: at })).toBe(1);
    expect(await stacks.recordApplied('a', { planId: 'p-2', spec: null, monthlyUsd: 150, appliedAt: at })).toBe(2);
    await stacks.recordApplied('b', { planId: 'p-3', spec: null, monthlyUsd: 25.5, appliedAt: at });
    expect(await stacks.currentVersion('a')).toBe(2);
    expect(await stacks.committedMonthlyUsd()).toBe(175.5);
    expect(await stacks.committedMonthlyUsd('a')).toBe(25.5);
    const all = await stacks.summaries();
    expect([...all.keys()]).toEqual(['a', 'b']);
    expect(all.get('a')).toMatchObject({ version: 2, monthlyUsd: 150 });
    expect(all.get('b')).toMatchObject({ version: 1, monthlyUsd: 25.5 });
    expect(await stacks.current('a')).toMatchObject({ version: 2, planId: 'p-2', monthlyUsd: 150 });
    expect(await stacks.current('b')).toMatchObject({ version: 1, planId: 'p-3', monthlyUsd: 25.5 });
    await stacks.setCurrent('a', 1, 'p-1');
    expect((await stacks.current('a'))?.monthlyUsd).toBe(100);
    expect(await stacks.currentPlanId('a')).toBe('p-1');
    expect((await stacks.summaries()).get('a')?.version).toBe(1);
    // A stack rolled back to before its first version has none: it is left out.
    await stacks.setCurrent('b', 0, 'p-0');
    expect([...(await stacks.summaries()).keys()]).toEqual(['a']);
  });

  it("fills the summary in from the stacks' records, one command a stack, records from before the row included", async () => {
    const p = prefix();
    const stacks = new StackStore({ redis, prefix: p });
    const at = '2026-11-21T10:00:00.000Z';
    for (const [i, s] of ['s1', 's2', 's3', 's4'].entries())
      await stacks.recordApplied(s, { planId: `p-${i}`, spec: null, monthlyUsd: 10 * (i + 1), appliedAt: at });
    await stacks.recordApplied('s4', { planId: 'p-9', spec: null, monthlyUsd: 99, appliedAt: at });
    await stacks.setCurrent('s4', 1, 'p-3'); // rolled back: the record holds version 1's row again
    const calls = async () => {
      const out: Record<string, number> = {};
      for (const m of (await redis.info('commandstats')).matchAll(/^cmdstat_(hget|hmget|smembers):calls=(\d+)/gm))
        out[m[1] as string] = Number(m[2]);
      return out;
    };
    // As recorded before the summary was kept.
    await redis.del(stackSummaryKey(p));
    const before = await calls();
    const all = await stacks.summaries();
    const after = await calls();
    expect([...all].map(([s, v]) => [s, v.version, v.monthlyUsd])).toEqual([
      ['s1', 1, 10],
      ['s2', 1, 20],
      ['s3', 1, 30],
      ['s4', 1, 40],
    ]);
    expect((after.hmget ?? 0) - (before.hmget ?? 0)).toBe(4);
    expect((after.hget ?? 0) - (before.hget ?? 0)).toBe(0);
    expect((after.smembers ?? 0) - (before.smembers ?? 0)).toBe(1);
    // A record written before records held their current row: read from the versions instead.
    await redis.hdel(stackKey(p, 's2'), 'currentRow');
    await redis.hdel(stackSummaryKey(p), 's2');
    expect(await stacks.current('s2')).toMatchObject({ version: 1, planId: 'p-1', monthlyUsd: 20 });
    expect((await stacks.summaries()).get('s2')).toEqual({ version: 1, monthlyUsd: 20, live: false });
  });

  it('reads the crew-wide summary (committed spend, standing stacks) in two commands however many stacks', async () => {
    const p = prefix();
    const stacks = new StackStore({ redis, prefix: p });
    const at = '2026-11-21T10:00:00.000Z';
    const spec = { blueprint: 'aws-spot-ollama' } as unknown as PlanSpec;
    for (let i = 0; i < 60; i++)
      await stacks.recordApplied(`s${i}`, { planId: `p-${i}`, spec, monthlyUsd: i, appliedAt: at });
    await stacks.recordApplied('s0', { planId: 'p-destroy', spec: null, monthlyUsd: 0, appliedAt: at }); // destroyed
    await stacks.recordApplied('s1', { planId: 'p-up', spec, monthlyUsd: 500, appliedAt: at });
    await stacks.setCurrent('s1', 1, 'p-1'); // rolled back to 1 a month
    await stacks.setCurrent('s2', 0, 'p-0'); // rolled back past its first version
    const expected = (60 * 59) / 2 - 2; // s2's 2 a month no longer committed
    const calls = async () => {
      const out: Record<string, number> = {};
      for (const m of (await redis.info('commandstats')).matchAll(/^cmdstat_([a-z]+):calls=(\d+)/gm))
        out[m[1] as string] = Number(m[2]);
      return out;
    };
    const before = await calls();
    expect(await stacks.committedMonthlyUsd()).toBe(expected);
    const after = await calls();
    const sent = Object.entries(after)
      .map(([c, n]) => [c, n - (before[c] ?? 0) - (c === 'info' ? 1 : 0)] as const)
      .filter(([, n]) => n > 0);
    expect(Object.fromEntries(sent)).toEqual({ smembers: 1, hgetall: 1 });
    expect(await stacks.committedMonthlyUsd('s59')).toBe(expected - 59);
    const live = await stacks.liveStacks();
    expect(live.size).toBe(58);
    expect([live.has('s0'), live.has('s1'), live.has('s2'), live.has('s3')]).toEqual([false, true, false, true]);
    // Stacks recorded before the summary was kept: read from their records once, then summarised.
    await redis.hdel(stackSummaryKey(p), 's1', 's5');
    await redis.hdel(stackKey(p, 's5'), 'currentRow');
    expect(await stacks.committedMonthlyUsd()).toBe(expected);
    expect(await redis.hexists(stackSummaryKey(p), 's5')).toBe(1);
    expect(JSON.parse((await redis.hget(stackSummaryKey(p), 's1')) ?? '')).toEqual({
      version: 1,
      monthlyUsd: 1,
      live: true,
    });
    // A redelivered record writes the summary of the stack as it stands, not of the redelivered plan.
    await redis.hdel(stackSummaryKey(p), 's1');
    expect(await stacks.recordApplied('s1', { planId: 'p-up', spec, monthlyUsd: 500, appliedAt: at })).toBe(2);
    expect(JSON.parse((await redis.hget(stackSummaryKey(p), 's1')) ?? '')).toMatchObject({ version: 1, monthlyUsd: 1 });
  });
});
