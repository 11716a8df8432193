import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { accessPolicyFromConfig } from '../../../src/access/access-policy.js';
import { readConfig } from '../../../src/config/read-config.js';
import { hashSlot } from '../../../src/redis/hash-slot.js';
import { planHistoryKey, planKey, stackLockKey, stackSummaryKey, streamKey } from '../../../src/redis/keys.js';
import { runScript } from '../../../src/redis/run-script.js';
import { MOVE_PLAN } from '../../../src/redis/lua-scripts.js';
import { AccessPolicyStore } from '../../../src/store/access-policy-store.js';
import { HeartbeatStore } from '../../../src/store/heartbeat-store.js';
import { RedisArtifactStore } from '../../../src/store/redis-artifact-store.js';
import { PlanStore } from '../../../src/store/plan-store.js';
import { StackLock } from '../../../src/store/stack-lock.js';
import { StackStore } from '../../../src/store/stack-store.js';
import type { TestRedisCluster } from '../../support/redis-cluster.js';
import { useTestCluster } from './use-test-cluster.js';
import { waitFor } from '../../support/wait-for.js';

let cluster: TestRedisCluster;
let redis: Redis;
useTestCluster((c, client) => ((cluster = c), (redis = client)));
const prefix = () => `t${randomBytes(4).toString('hex')}`;
const base = { goal: 'g', requestedBy: 'alice' };

describe('the stores on a three-master Redis Cluster', () => {
  it('computes hash slots as the cluster does', async () => {
    for (const key of [planKey('crew', 'p-x1'), streamKey('crew', 'notify'), stackLockKey('crew', 'a'), 'plain']) {
      expect(hashSlot(key)).toBe(Number(await cluster.nodeCommand(['cluster', 'keyslot', key])));
    }
  });

  it('PlanStore: create, compare-and-set moves, history, recent and active', async () => {
    const store = new PlanStore({ redis, prefix: prefix() });
    for (const id of ['p-aaaa', 'p-bbbb', 'p-cccc']) await store.create({ id, ...base });
    // The move script announces each move (PUBLISH inside the script, allowed on a Cluster).
    const heard: string[] = [];
    const stop = await store.watch('p-aaaa', (movedTo) => heard.push(movedTo ?? 'change'));
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => store.advance('p-aaaa', 'PLAN_SPEC', `w${i}`, 'race', { stack: 's1' })),
    );
    expect(results.filter((r) => r.status === 'moved')).toHaveLength(1);
    await store.advance('p-aaaa', 'FORGE_ACK', 'forge', 'ack');
    await waitFor(() => heard.length >= 2, { timeoutMs: 2_000, what: "the two moves' messages" });
    await stop();
    expect(heard).toEqual(['PENDING', 'IN_PROGRESS']);
    expect(await store.get('p-aaaa')).toMatchObject({ state: 'IN_PROGRESS', stack: 's1' });
    expect((await store.history('p-aaaa')).map((t) => t.to)).toEqual(['PENDING', 'IN_PROGRESS']);
    expect((await store.recent(10)).map((p) => p.id).sort()).toEqual(['p-aaaa', 'p-bbbb', 'p-cccc']);
    expect((await store.active()).length).toBe(3);
    await expect(store.create({ id: 'p-aaaa', ...base })).rejects.toThrow('exists already');
  });

  it('StackStore and StackLock: versions once per plan, a lock only its holder releases', async () => {
    const p = prefix();
    const stacks = new StackStore({ redis, prefix: p });
    const row = { planId: 'p-one', spec: null, appliedAt: new Date().toISOString(), monthlyUsd: 12 };
    const v1 = await stacks.recordApplied('s1', row);
    expect(await stacks.recordApplied('s1', row)).toBe(v1);
    expect(await stacks.currentVersion('s1')).toBe(v1);
    expect(await stacks.stacks()).toEqual(['s1']);
    // Stacks on different nodes: every one's current version read together, a rollback included.
    const names = ['s2', 's3', 's4', 's5', 's6'];
    for (const [i, s] of names.entries()) await stacks.recordApplied(s, { ...row, planId: `p-${s}`, monthlyUsd: i });
    await stacks.recordApplied('s6', { ...row, planId: 'p-s6b', monthlyUsd: 60 });
    await stacks.setCurrent('s6', 1, 'p-s6');
    const all = await stacks.summaries();
    expect([...all].map(([s, v]) => [s, v.monthlyUsd])).toEqual([['s1', 12], ...names.map((s, i) => [s, i])]);
    const planIds = await Promise.all(['s1', ...names].map(async (s) => (await stacks.current(s))?.planId));
    expect(planIds).toEqual(['p-one', ...names.map((s) => `p-${s}`)]);
    expect(await stacks.committedMonthlyUsd('s1')).toBe(0 + 1 + 2 + 3 + 4);
    // Stacks recorded before the summary was kept: their records read across the nodes, then summarised.
    await redis.del(stackSummaryKey(p));
    expect(await stacks.committedMonthlyUsd()).toBe(12 + 0 + 1 + 2 + 3 + 4);
    expect(await redis.hlen(stackSummaryKey(p))).toBe(6);
    expect([...(await stacks.liveStacks())]).toEqual([]); // every row here has spec: null
    const lock = new StackLock({ redis, prefix: p, ttlMs: 10_000, findOccupant: async () => undefined });
    expect(await lock.acquire('s1', 'p-one', async () => false)).toEqual({ ok: true });
    expect(await lock.acquire('s1', 'p-two', async () => false)).toEqual({ ok: false, holder: 'p-one' });
    expect(await lock.release('s1', 'p-two')).toBe(false);
    expect(await lock.release('s1', 'p-one')).toBe(true);
  });

  it('AccessPolicyStore and the Redis artifact store', async () => {
    const p = prefix();
    const policy = accessPolicyFromConfig(readConfig({ CREW_APPROVERS: 'bob' }), { setBy: 'test', source: 'operator' });
    const access = new AccessPolicyStore({ redis, prefix: p });
    expect(await access.publish(policy)).toBeUndefined();
    expect((await access.current()).approvers).toEqual(['bob']);
    const files = new RedisArtifactStore({ redis, prefix: p });
    const bytes = randomBytes(2048);
    const sha = await files.put('plan-file', 'p-file', bytes);
    expect((await files.get(sha))?.equals(bytes)).toBe(true);
  });

  it('HeartbeatStore finds heartbeats on every master', async () => {
    const p = prefix();
    const beats = new HeartbeatStore({ redis, prefix: p });
    const agents = Array.from({ length: 12 }, (_, i) => `agent${i}`);
    for (const a of agents) await beats.beat(a, 'i1', 1000, 60);
    expect((await beats.readAll()).map((b) => b.agent).sort()).toEqual([...agents].sort());
  });

  it('refuses a script whose keys would cross slots, before Redis sees it', async () => {
    const p = prefix();
    await expect(runScript(redis, MOVE_PLAN, [planKey(p, 'p-1'), planHistoryKey(p, 'p-2')], [])).rejects.toThrow(
      'not in the hash slot',
    );
  });
});
