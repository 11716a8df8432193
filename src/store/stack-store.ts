import type { Redis } from 'ioredis';
import type { PlanSpec } from '../../contracts/index.js';
import { makeKeys, type Keys } from './keys.js';

/** One applied version of a stack: what it was built from and what it costs. */
export interface StackVersion {
  version: number;
  planId: string;
  spec: PlanSpec | null; // null: the stack was destroyed
  monthlyUsd: number;
  appliedAt: string;
}

// Records a version once per plan (idempotent on redelivery) and moves `current` to it.
const RECORD_SCRIPT = `
local existing = redis.call('HGET', KEYS[1], 'plan:' .. ARGV[1])
if existing then return tonumber(existing) end
local v = redis.call('HINCRBY', KEYS[1], 'seq', 1)
local row = string.gsub(ARGV[2], '"version":0', '"version":' .. v, 1)
redis.call('HSET', KEYS[1], 'plan:' .. ARGV[1], v, 'current', v, 'currentPlan', ARGV[1])
redis.call('HSET', KEYS[2], v, row)
return v
`;

export class StackStore {
  private readonly keys: Keys;
  private readonly redis: Redis;

  constructor(options: { redis: Redis; prefix?: string }) {
    this.redis = options.redis;
    this.keys = makeKeys(options.prefix);
    this.redis.defineCommand('crewRecordVersion', { numberOfKeys: 2, lua: RECORD_SCRIPT });
  }

  /** The version a stack is at now (0 when it has never been applied or was destroyed). */
  async currentVersion(stack: string): Promise<number> {
    return Number((await this.redis.hget(this.keys.stack(stack), 'current')) ?? 0);
  }

  async version(stack: string, version: number): Promise<StackVersion | undefined> {
    if (version === 0) return undefined;
    const row = await this.redis.hget(this.keys.stackVersions(stack), String(version));
    return row ? (JSON.parse(row) as StackVersion) : undefined;
  }

  async current(stack: string): Promise<StackVersion | undefined> {
    return this.version(stack, await this.currentVersion(stack));
  }

  /** Records the version a plan produced; calling again for the same plan returns the same number. */
  async recordApplied(stack: string, v: Omit<StackVersion, 'version'>): Promise<number> {
    const row = JSON.stringify({ version: 0, ...v });
    const n = await (this.redis as unknown as { crewRecordVersion(...a: string[]): Promise<number> }).crewRecordVersion(
      this.keys.stack(stack),
      this.keys.stackVersions(stack),
      v.planId,
      row,
    );
    await this.redis.sadd(this.keys.stackIndex(), stack);
    return Number(n);
  }

  /** Points the stack back at an earlier version (after a rollback). */
  async setCurrent(stack: string, version: number, planId: string): Promise<void> {
    await this.redis.hset(this.keys.stack(stack), 'current', version, 'currentPlan', planId);
  }

  async currentPlanId(stack: string): Promise<string | undefined> {
    return (await this.redis.hget(this.keys.stack(stack), 'currentPlan')) ?? undefined;
  }

  async stacks(): Promise<string[]> {
    return (await this.redis.smembers(this.keys.stackIndex())).sort();
  }

  /** Committed monthly spend of every applied stack except `exceptStack`: the brake's baseline. */
  async committedMonthlyUsd(exceptStack?: string): Promise<number> {
    let total = 0;
    for (const s of await this.stacks()) {
      if (s === exceptStack) continue;
      total += (await this.current(s))?.monthlyUsd ?? 0;
    }
    return Math.round(total * 100) / 100;
  }
}
