import { describe, expect, it } from 'vitest';
import { hashSlot, keysOutsideSlot } from '../../../src/redis/hash-slot.js';
import * as k from '../../../src/redis/keys.js';
import { runScript } from '../../../src/redis/run-script.js';
import { MOVE_PLAN } from '../../../src/redis/lua-scripts.js';
import type { Redis } from 'ioredis';

describe('hashSlot', () => {
  it('follows the Redis Cluster specification', () => {
    // CRC16/XMODEM("123456789") = 0x31C3 = 12739, the specification's check value.
    expect(hashSlot('123456789')).toBe(12739);
    expect(hashSlot('foo')).toBe(12182);
    expect(hashSlot('{user1000}.following')).toBe(hashSlot('{user1000}.followers'));
    expect(hashSlot('{user1000}.following')).toBe(hashSlot('user1000'));
    // An empty tag is no tag: the whole key is hashed.
    expect(hashSlot('foo{}{bar}')).not.toBe(hashSlot('bar'));
    expect(hashSlot('foo{{bar}}zap')).toBe(hashSlot('{bar'));
  });
});

describe('the key families a script changes together', () => {
  const p = 'crew';
  it('share one slot each', () => {
    const families = [
      [k.planKey(p, 'p-1'), k.planHistoryKey(p, 'p-1'), k.planAuditKey(p, 'p-1'), k.appliedMarkerKey(p, 'p-1')],
      [k.planDecisionsKey(p, 'p-1'), k.planKey(p, 'p-1')],
      [k.planIndexKey(p), k.activePlansKey(p), k.stackIndexKey(p), k.blockedCountKey(p, 'alice')],
      [k.stackKey(p, 's'), k.stackVersionsKey(p, 's'), k.stackLockKey(p, 's'), k.stackQueueKey(p, 's')],
      [k.streamKey(p, 'notify'), k.deadLetterKey(p), k.doneKey(p, 'notify', 'g', 'a1', 'p-1'), k.livenessKey(p, 'c1')],
      [k.failuresKey(p, 'notify', 'g'), k.streamKey(p, 'apply.request')],
      [k.spendEventsKey(p), k.spendSeenKey(p), k.digestLastKey(p)],
    ];
    for (const keys of families) expect(keysOutsideSlot(keys), keys.join(' ')).toEqual([]);
    expect(keysOutsideSlot([k.planKey(p, 'p-1'), k.planKey(p, 'p-2')])).toEqual([k.planKey(p, 'p-2')]);
  });

  it('runScript refuses keys that would cross slots before sending anything', async () => {
    const untouched = new Proxy({} as Redis, {
      get: () => {
        throw new Error('Redis must not be called');
      },
    });
    await expect(
      runScript(untouched, MOVE_PLAN, [k.planKey(p, 'p-1'), k.planHistoryKey(p, 'p-2')], []),
    ).rejects.toMatchObject({ code: 'CREW_ERR_REDIS', message: expect.stringContaining('not in the hash slot') });
  });
});
