import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { RedisBus } from '../../../src/bus/redis-bus.js';
import { streamKey } from '../../../src/redis/keys.js';
import { watchCrew } from '../../../src/conductor/watch-crew.js';
import { createLogger } from '../../../src/log/create-logger.js';
import { heartbeatKey } from '../../../src/redis/keys.js';
import { PlanStore } from '../../../src/store/plan-store.js';
import { useTestRedis } from '../../support/redis-server.js';

let redis: Redis;
useTestRedis((_s, c) => (redis = c));

describe('watchCrew', () => {
  it('reports silent agents and stuck plans once per episode, and leaves healthy ones alone', async () => {
    const prefix = `t${randomBytes(4).toString('hex')}`;
    const t0 = new Date('2026-11-21T10:00:00.000Z');
    const clock = { now: t0 };
    const plans = new PlanStore({ redis, prefix, now: () => clock.now });
    const bus = new RedisBus({ redis, logger: createLogger({ level: 'silent' }), prefix });
    const sec = (d: Date) => Math.floor(d.getTime() / 1000);
    const later = new Date(t0.getTime() + 45 * 60_000);
    await redis.set(heartbeatKey(prefix, 'forge', 'w1'), String(sec(t0) - 600), 'EX', 3600); // silent since 09:50
    await redis.set(heartbeatKey(prefix, 'forge', 'w0'), String(sec(t0) - 900), 'EX', 3600); // an older instance
    await redis.set(heartbeatKey(prefix, 'sentinel', 'w1'), String(sec(later) - 5), 'EX', 3600); // healthy

    await plans.create({ id: 'p-stuck1', goal: 'g', requestedBy: 'a' });
    await plans.advance('p-stuck1', 'PLAN_SPEC', 'atlas', 'x');
    await plans.create({ id: 'p-waits1', goal: 'g', requestedBy: 'a' });
    for (const e of ['PLAN_SPEC', 'FORGE_ACK', 'PLAN_READY', 'VALIDATION_PASS', 'REVIEW_POSTED'] as const)
      await plans.advance('p-waits1', e, 't', e);

    clock.now = later;
    const opts = { bus, plans, redis, prefix, now: () => clock.now, stuckAfterMs: 30 * 60_000, staleAfterMs: 120_000 };
    await watchCrew(opts);
    await watchCrew(opts);
    const events = (await redis.xrange(streamKey(prefix, 'ops.event'), '-', '+')).map(([, f]) => JSON.parse(f[1]!));
    const byId = new Map(events.map((e) => [e.id, e]));
    const kinds = [...byId.values()].map((e) => `${e.payload.kind}:${e.planId}:${e.payload.agent ?? ''}`).sort();
    // Waiting for a human (WAIT_FOR_APPROVE) is not stuck; a healthy agent is not reported.
    expect(kinds).toEqual(['heartbeat:crew-ops:forge', 'stuck:p-stuck1:']);
    const hb = [...byId.values()].find((e) => e.payload.kind === 'heartbeat');
    expect(hb.payload.detail).toContain(
      'agent forge has been silent since 2026-11-21T09:50:00.000Z (last instance w1)',
    );
    const stuck = [...byId.values()].find((e) => e.payload.kind === 'stuck');
    expect(stuck.payload.detail).toBe(
      'plan p-stuck1 has been PENDING for 45 min; check the agents (crew status p-stuck1)',
    );
    await bus.close();
  });
});
