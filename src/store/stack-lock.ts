import type { Redis } from 'ioredis';
import { makeKeys, type Keys } from './keys.js';

export type LockResult = { ok: true } | { ok: false; holder: string };

/**
 * The plan that still holds `stack` even though the lock key is gone (its lease lapsed while
 * no crew process ran to renew it), other than `exceptPlanId`; undefined when there is none.
 */
export type FindOccupant = (stack: string, exceptPlanId: string) => Promise<string | undefined>;

// SET NX PX, or refresh if we already hold it. Never GET-then-SET: one atomic step.
// Returns '' when the key was free, '=' when the caller held it already, else the holder.
const ACQUIRE = `
local holder = redis.call('GET', KEYS[1])
if holder == false then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return ''
end
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return '='
end
return holder
`;
// The holder extends its lease; a lapsed key is taken back (the caller knows the plan still holds the stack).
const RENEW = `
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if holder == false then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
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

export interface StackLockOptions {
  redis: Redis;
  prefix?: string;
  /** Lease length; holders renew it while their plan is active (the Conductor's sweep). */
  ttlMs?: number;
  /** Consulted when the key is free, so a lapsed lease is never handed to another plan. */
  findOccupant?: FindOccupant;
}

/**
 * One plan per stack. The lock's owner token is the plan id, so it survives the process
 * that took it; a holder whose plan has ended is taken over (crash recovery). The key is a
 * lease the holder renews; when it lapsed anyway (no crew process ran for longer than the
 * TTL), the plan that still holds the stack keeps it: only an ended plan gives it up.
 */
export class StackLock {
  private readonly keys: Keys;
  private readonly redis: Redis;
  private readonly ttlMs: number;
  private readonly findOccupant: FindOccupant;

  constructor(options: StackLockOptions) {
    this.redis = options.redis;
    this.keys = makeKeys(options.prefix);
    this.ttlMs = options.ttlMs ?? 6 * 3600_000;
    this.findOccupant = options.findOccupant ?? (async () => undefined);
    this.redis.defineCommand('crewLockAcquire', { numberOfKeys: 1, lua: ACQUIRE });
    this.redis.defineCommand('crewLockRenew', { numberOfKeys: 1, lua: RENEW });
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
      if (holder === '=') return { ok: true };
      if (holder === '') return this.unlessOccupied(stack, planId);
      if (!(await holderIsGone(holder))) return { ok: false, holder };
      if ((await this.r.crewLockTakeover(key, holder, planId, String(this.ttlMs))) === 1) return this.unlessOccupied(stack, planId);
    }
    const holder = (await this.redis.get(key)) ?? 'unknown';
    return { ok: false, holder };
  }

  /** Just took the key: keep it unless a lapsed lease left a plan that still holds the stack. */
  private async unlessOccupied(stack: string, planId: string): Promise<LockResult> {
    const occupant = await this.findOccupant(stack, planId);
    if (occupant === undefined) return { ok: true };
    await this.r.crewLockTakeover(this.keys.stackLock(stack), planId, occupant, String(this.ttlMs));
    return { ok: false, holder: occupant };
  }

  async release(stack: string, planId: string): Promise<boolean> {
    return (await this.r.crewLockRelease(this.keys.stackLock(stack), planId)) === 1;
  }

  /** Extends `planId`'s lease, taking the key back if it lapsed; false if another plan holds it. */
  async renew(stack: string, planId: string): Promise<boolean> {
    return (await this.r.crewLockRenew(this.keys.stackLock(stack), planId, String(this.ttlMs))) === 1;
  }

  /** The plan holding the stack: the key's owner, or, while its lease has lapsed, the occupant. */
  async holder(stack: string): Promise<string | undefined> {
    return (await this.redis.get(this.keys.stackLock(stack))) ?? (await this.findOccupant(stack, ''));
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
  crewLockRenew(key: string, owner: string, ttl: string): Promise<number>;
  crewLockRelease(key: string, owner: string): Promise<number>;
  crewLockTakeover(key: string, holder: string, owner: string, ttl: string): Promise<number>;
}
