import type { Redis } from 'ioredis';
import { stackLockKey } from '../redis/keys.js';
import { ACQUIRE_LOCK, EXTEND_LOCK, RELEASE_LOCK, RENEW_LOCK, TAKE_OVER_LOCK } from '../redis/lua-scripts.js';
import { runScript } from '../redis/run-script.js';

/**
 * Holders named `drift:<run>` are drift checks: never an ended plan to take over, they hold a
 * short lease that lapses by itself if the check dies (plan ids cannot contain a colon).
 */
export const DRIFT_HOLDER_PREFIX = 'drift:';

export type LockResult = { ok: true } | { ok: false; holder: string };

/**
 * The plan that still holds `stack` even though the lock key is gone (its lease lapsed while
 * no crew process ran to renew it), other than `exceptPlanId`; undefined when there is none.
 */
export type FindOccupant = (stack: string, exceptPlanId: string) => Promise<string | undefined>;

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
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly ttlMs: number;
  private readonly findOccupant: FindOccupant;

  constructor(options: StackLockOptions) {
    this.redis = options.redis;
    this.prefix = options.prefix ?? 'crew';
    this.ttlMs = options.ttlMs ?? 6 * 3600_000;
    this.findOccupant = options.findOccupant ?? (async () => undefined);
  }

  /** SET NX PX, or refresh when `planId` holds it: '' when the key was free, '=' when held already, else the holder. */
  private async tryAcquire(key: string, planId: string): Promise<string> {
    return String(await runScript(this.redis, ACQUIRE_LOCK, [key], [planId, String(this.ttlMs)]));
  }

  /** Replaces exactly `holder` with `owner`; false when someone else holds the key now. */
  private async takeOver(key: string, holder: string, owner: string): Promise<boolean> {
    return (await runScript(this.redis, TAKE_OVER_LOCK, [key], [holder, owner, String(this.ttlMs)])) === 1;
  }

  /** Only the holder may release. */
  private async releaseHeld(key: string, owner: string): Promise<boolean> {
    return (await runScript(this.redis, RELEASE_LOCK, [key], [owner])) === 1;
  }

  /**
   * Takes the stack for `planId`. `holderIsGone(holder)` says whether a current holder's plan
   * has ended (then the lock is taken over).
   */
  async acquire(
    stack: string,
    planId: string,
    holderIsGone: (holder: string) => Promise<boolean>,
  ): Promise<LockResult> {
    const key = stackLockKey(this.prefix, stack);
    for (let attempt = 0; attempt < 3; attempt++) {
      const holder = await this.tryAcquire(key, planId);
      if (holder === '=') return { ok: true };
      if (holder === '') return this.unlessOccupied(stack, planId);
      if (holder.startsWith(DRIFT_HOLDER_PREFIX)) return { ok: false, holder };
      if (!(await holderIsGone(holder))) return { ok: false, holder };
      if (await this.takeOver(key, holder, planId)) return this.unlessOccupied(stack, planId);
    }
    const holder = (await this.redis.get(key)) ?? 'unknown';
    return { ok: false, holder };
  }

  /** Just took the key: keep it unless a lapsed lease left a plan that still holds the stack. */
  private async unlessOccupied(stack: string, planId: string): Promise<LockResult> {
    const occupant = await this.findOccupant(stack, planId);
    if (occupant === undefined) return { ok: true };
    await this.takeOver(stackLockKey(this.prefix, stack), planId, occupant);
    return { ok: false, holder: occupant };
  }

  async release(stack: string, planId: string): Promise<boolean> {
    return this.releaseHeld(stackLockKey(this.prefix, stack), planId);
  }

  /** Extends `planId`'s lease if it holds the key: 'lapsed' when the key is gone, 'other' when another holds it. */
  async extend(stack: string, planId: string): Promise<'extended' | 'lapsed' | 'other'> {
    const r = await runScript(
      this.redis,
      EXTEND_LOCK,
      [stackLockKey(this.prefix, stack)],
      [planId, String(this.ttlMs)],
    );
    return r === 1 ? 'extended' : r === 2 ? 'lapsed' : 'other';
  }

  /** Extends `planId`'s lease, taking the key back if it lapsed; false if another plan holds it. */
  async renew(stack: string, planId: string): Promise<boolean> {
    return (
      (await runScript(this.redis, RENEW_LOCK, [stackLockKey(this.prefix, stack)], [planId, String(this.ttlMs)])) === 1
    );
  }

  /** The plan holding the stack: the key's owner, or, while its lease has lapsed, the occupant. */
  async holder(stack: string): Promise<string | undefined> {
    return (await this.redis.get(stackLockKey(this.prefix, stack))) ?? (await this.findOccupant(stack, ''));
  }

  /** Admin override: drops the lock whoever holds it. */
  async forceRelease(stack: string): Promise<string | undefined> {
    const key = stackLockKey(this.prefix, stack);
    const holder = await this.redis.get(key);
    if (holder) await this.releaseHeld(key, holder);
    return holder ?? undefined;
  }
}
