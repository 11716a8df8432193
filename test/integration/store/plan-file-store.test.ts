import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { planFileKey } from '../../../src/redis/keys.js';
import { PlanFileStore } from '../../../src/store/plan-file-store.js';
import { sha256Hex } from '../../../src/util/new-id.js';
import { useTestRedis } from '../../support/redis-server.js';

let redis: Redis;
useTestRedis((_s, c) => (redis = c));

describe('PlanFileStore', () => {
  it('gives back exactly the saved bytes (binary, not text) by plan and sha256, with an expiry', async () => {
    const store = new PlanFileStore({ redis, prefix: 'pf' });
    const bytes = Buffer.concat([randomBytes(4096), Buffer.from([0, 255, 0xc3, 0x28])]);
    const sha = await store.save('p-one', bytes, 60_000);
    expect(sha).toBe(sha256Hex(bytes));
    expect((await store.load('p-one', sha))?.equals(bytes)).toBe(true);
    expect(await redis.pttl(planFileKey('pf', 'p-one', sha))).toBeGreaterThan(50_000);
    expect(await store.load('p-other', sha)).toBeUndefined();
  });

  it('never hands out bytes that do not match the sha256 they are stored under', async () => {
    const store = new PlanFileStore({ redis, prefix: 'pf' });
    const sha = await store.save('p-two', Buffer.from('approved'));
    await redis.set(planFileKey('pf', 'p-two', sha), Buffer.from('tampered'));
    expect(await store.load('p-two', sha)).toBeUndefined();
  });
});
