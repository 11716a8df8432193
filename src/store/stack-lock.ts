import type { Redis } from 'ioredis';
import { makeKeys, type Keys } from './keys.js';

export type LockResult = { ok: true } | { ok: false; holder: string };

// SET NX PX, or refresh if we already hold it. Never GET-then-SET: one atomic step.
const ACQUIRE = `
local holder = redis.call('GET', KEYS[1])
if holder == false or holder == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return ''
end
return holder
`;
// Only the holder may release; a takeover replaces exactly the holder it was judged on.
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;
const TAKEOVER = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0
`;

/**
 * One plan per stack. The lock's owner token is the plan id, so it survives the process
 * that took it; a holder whose plan has ended is taken over (crash recovery), and the
 * TTL is the last resort.
 */
export class StackLock {
  private readonly keys: Keys;
  private readonly redis: Redis;
  private readonly ttlMs: number;

  constructor(options: { redis: Redis; prefix?: string; ttlMs?: number }) {
    this.redis = options.redis;
    this.keys = makeKeys(options.prefix);
    this.ttlMs = options.ttlMs ?? 6 * 3600_000;
    this.redis.defineCommand('crewLockAcquire', { numberOfKeys: 1, lua: ACQUIRE });
    this.redis.defineCommand('crewLockRelease', { numberOfKeys: 1, lua: RELEASE });
    this.redis.defineCommand('crewLockTakeover', { numberOfKeys: 1, lua: TAKEOVER });
  }

  private get r(): LockRedis {
    return this.redis as unknown as LockRedis;
  }

  /**
   * Takes the stack for `planId`. `holderIsGone(holder)` says whether a current holder's plan
   * has ended (then the lock is taken over).
   */
  async acquire(stack: string, planId: string, holderIsGone: (holder: string) => Promise<boolean>): Promise<LockResult> {
    const key = this.keys.stackLock(stack);
    for (let attempt = 0; attempt < 3; attempt++) {
      const holder = await this.r.crewLockAcquire(key, planId, String(this.ttlMs));
      if (holder === '') return { ok: true };
      if (!(await holderIsGone(holder))) return { ok: false, holder };
      if ((await this.r.crewLockTakeover(key, holder, planId, String(this.ttlMs))) === 1) return { ok: true };
    }
    const holder = (await this.redis.get(key)) ?? 'unknown';
    return { ok: false, holder };
  }

  async release(stack: string, planId: string): Promise<boolean> {
    return (await this.r.crewLockRelease(this.keys.stackLock(stack), planId)) === 1;
  }

  async holder(stack: string): Promise<string | undefined> {
    return (await this.redis.get(this.keys.stackLock(stack))) ?? undefined;
  }

  /** Admin override: drops the lock whoever holds it. */
  async forceRelease(stack: string): Promise<string | undefined> {
    const key = this.keys.stackLock(stack);
    const holder = await this.redis.get(key);
    if (holder) await this.r.crewLockRelease(key, holder);
    return holder ?? undefined;
  }
}

interface LockRedis {
  crewLockAcquire(key: string, owner: string, ttl: string): Promise<string>;
  crewLockRelease(key: string, owner: string): Promise<number>;
  crewLockTakeover(key: string, holder: string, owner: string, ttl: string): Promise<number>;
}
