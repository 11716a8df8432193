import type { Redis } from 'ioredis';
import type { PlanSpec } from '../../contracts/index.js';
import { stackIndexKey, stackKey, stackVersionsKey } from '../redis/keys.js';
import { RECORD_STACK_VERSION, SET_STACK_CURRENT } from '../redis/lua-scripts.js';
import { hmgetEach } from '../redis/hmget-each.js';
import { runScript } from '../redis/run-script.js';

/** One applied version of a stack: what it was built from and what it costs. */
export interface StackVersion {
  version: number;
  planId: string;
  spec: PlanSpec | null; // null: the stack was destroyed
  monthlyUsd: number;
  appliedAt: string;
}

/** The fields of a stack's record that say where it is now: the version and its row. */
const CURRENT_FIELDS = ['current', 'currentRow'] as const;

export class StackStore {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(options: { redis: Redis; prefix?: string }) {
    this.redis = options.redis;
    this.prefix = options.prefix ?? 'crew';
  }

  /** The version a stack is at now (0 when it has never been applied or was destroyed). */
  async currentVersion(stack: string): Promise<number> {
    return Number((await this.redis.hget(stackKey(this.prefix, stack), 'current')) ?? 0);
  }

  async version(stack: string, version: number): Promise<StackVersion | undefined> {
    if (version === 0) return undefined;
    const row = await this.redis.hget(stackVersionsKey(this.prefix, stack), String(version));
    return row ? (JSON.parse(row) as StackVersion) : undefined;
  }

  /** The version a stack is at now, undefined at version 0: one read (the record holds its row). */
  async current(stack: string): Promise<StackVersion | undefined> {
    const [current, row] = await this.redis.hmget(stackKey(this.prefix, stack), ...CURRENT_FIELDS);
    return this.fromRecord(stack, current, row);
  }

  private async fromRecord(
    stack: string,
    current: string | null | undefined,
    row: string | null | undefined,
  ): Promise<StackVersion | undefined> {
    const version = Number(current ?? 0);
    if (version === 0) return undefined;
    // A record written before it held the row: the row from the versions.
    return row ? (JSON.parse(row) as StackVersion) : this.version(stack, version);
  }

  /** Records the version a plan produced; calling again for the same plan returns the same number. */
  async recordApplied(stack: string, v: Omit<StackVersion, 'version'>): Promise<number> {
    const row = JSON.stringify({ version: 0, ...v });
    // Once per plan (idempotent on redelivery), and `current` moves to it in the same step.
    const n = await runScript(
      this.redis,
      RECORD_STACK_VERSION,
      [stackKey(this.prefix, stack), stackVersionsKey(this.prefix, stack)],
      [v.planId, row],
    );
    await this.redis.sadd(stackIndexKey(this.prefix), stack);
    return Number(n);
  }

  /** Points the stack back at an earlier version (after a rollback). */
  async setCurrent(stack: string, version: number, planId: string): Promise<void> {
    await runScript(
      this.redis,
      SET_STACK_CURRENT,
      [stackKey(this.prefix, stack), stackVersionsKey(this.prefix, stack)],
      [String(version), planId],
    );
  }

  async currentPlanId(stack: string): Promise<string | undefined> {
    return (await this.redis.hget(stackKey(this.prefix, stack), 'currentPlan')) ?? undefined;
  }

  async stacks(): Promise<string[]> {
    return (await this.redis.smembers(stackIndexKey(this.prefix))).sort();
  }

  /**
   * Every stack's current version, by stack name (a destroyed stack's has `spec: null`; a stack
   * at version 0 is left out): one read a stack, all in one pipeline.
   */
  async currentVersions(): Promise<Map<string, StackVersion>> {
    const names = await this.stacks();
    const records = await hmgetEach(
      this.redis,
      names.map((s) => stackKey(this.prefix, s)),
      CURRENT_FIELDS,
    );
    const rows = await Promise.all(names.map((s, i) => this.fromRecord(s, records[i]?.[0], records[i]?.[1])));
    const out = new Map<string, StackVersion>();
    names.forEach((s, i) => {
      const v = rows[i];
      if (v) out.set(s, v);
    });
    return out;
  }

  /** Committed monthly spend of every applied stack except `exceptStack`: the brake's baseline. */
  async committedMonthlyUsd(exceptStack?: string): Promise<number> {
    let total = 0;
    for (const [s, v] of await this.currentVersions()) if (s !== exceptStack) total += v.monthlyUsd ?? 0;
    return Math.round(total * 100) / 100;
  }
}
