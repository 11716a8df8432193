import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { readHeartbeats, startHeartbeat } from '../../../src/observability/heartbeat.js';
import { heartbeatKey } from '../../../src/redis/keys.js';
import { useTestRedis } from '../../support/redis-server.js';

let redis: Redis;

useTestRedis((_s, c) => (redis = c), { aof: false });

const prefix = () => `t${randomBytes(5).toString('hex')}`;

describe('heartbeat', () => {
  it('writes at once and then every interval, with a TTL, and stops twice safely', async () => {
    const p = prefix();
    let clock = 1_700_000_000_000;
    const hb = startHeartbeat(redis, {
      agent: 'forge',
      instance: 'pod-a:42',
      intervalMs: 50,
      prefix: p,
      now: () => (clock += 1000),
    });
    await new Promise((r) => setTimeout(r, 180));
    await Promise.all([hb.stop(), hb.stop()]);
    const beats = await readHeartbeats(redis, p);
    expect(beats).toHaveLength(1);
    expect(beats[0]).toMatchObject({ agent: 'forge', instance: 'pod-a:42' });
    // At least the first beat and two interval beats moved the clock.
    expect(beats[0]!.lastSeen).toBeGreaterThanOrEqual(1_700_000_003);
    const ttl = await redis.ttl(heartbeatKey(p, 'forge', 'pod-a:42'));
    expect(ttl).toBeGreaterThan(3000);
    const after = (await readHeartbeats(redis, p))[0]!.lastSeen;
    await new Promise((r) => setTimeout(r, 120));
    expect((await readHeartbeats(redis, p))[0]!.lastSeen).toBe(after);
  });

  it('reads many agents and instances, ignores other prefixes and junk values', async () => {
    const p = prefix();
    await redis.set(heartbeatKey(p, 'atlas', 'a1'), '10');
    await redis.set(heartbeatKey(p, 'atlas', 'a2'), '20');
    await redis.set(heartbeatKey(p, 'sentinel', 's1'), 'garbage');
    await redis.set(heartbeatKey(`${p}x`, 'atlas', 'a3'), '30');
    const beats = await readHeartbeats(redis, p);
    expect(beats).toEqual([
      { agent: 'atlas', instance: 'a1', lastSeen: 10 },
      { agent: 'atlas', instance: 'a2', lastSeen: 20 },
    ]);
    expect(await readHeartbeats(redis, `${p}-none`)).toEqual([]);
  });

  it('refuses an agent name that would break the key layout', () => {
    expect(() => startHeartbeat(redis, { agent: 'a:b', instance: 'x', intervalMs: 10 })).toThrow(/contain no ':'/);
    expect(() => startHeartbeat(redis, { agent: 'a', instance: 'x', intervalMs: 0 })).toThrow(/positive/);
  });
});
