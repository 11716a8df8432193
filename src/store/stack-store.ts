import type { Redis } from 'ioredis';
import type { PlanSpec } from '../../contracts/index.js';
import { stackIndexKey, stackKey, stackSummaryKey, stackVersionsKey } from '../redis/keys.js';
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

/**
 * What the crew-wide reads of every plan need of a stack's current version (the brake's committed
 * spend, the names a goal may change): kept for all stacks in one hash, so those reads stay one
 * command however many stacks the crew has applied.
 */
export interface StackSummary {
  version: number;
  monthlyUsd: number;
  /** The stack stands: its current version has a spec (not destroyed, not version 0). */
  live: boolean;
}

/** The fields of a stack's record that say where it is now: the version and its row. */
const CURRENT_FIELDS = ['current', 'currentRow'] as const;

function summaryOf(version: number, row: StackVersion | undefined): StackSummary {
  if (version === 0 || !row) return { version: 0, monthlyUsd: 0, live: false };
  return { version, monthlyUsd: row.monthlyUsd ?? 0, live: row.spec !== null };
}

function readSummary(text: string | undefined): StackSummary | undefined {
  if (!text) return undefined;
  try {
    const s = JSON.parse(text) as Partial<StackSummary>;
    if (typeof s.version !== 'number' || typeof s.monthlyUsd !== 'number' || typeof s.live !== 'boolean')
      return undefined;
    return { version: s.version, monthlyUsd: s.monthlyUsd, live: s.live };
  } catch {
    return undefined;
  }
}

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
    const [n, current, currentRow] = (await runScript(
      this.redis,
      RECORD_STACK_VERSION,
      [stackKey(this.prefix, stack), stackVersionsKey(this.prefix, stack)],
      [v.planId, row],
    )) as [number, number, string];
    // The indexes after the record (a redelivery writes them again): the name, and the summary of
    // the stack as it stands now (the plans on a stack take turns, so nothing moves it meanwhile).
    await this.writeIndexes(stack, Number(current), currentRow);
    return Number(n);
  }

  /** Points the stack back at an earlier version (after a rollback). */
  async setCurrent(stack: string, version: number, planId: string): Promise<void> {
    const row = (await runScript(
      this.redis,
      SET_STACK_CURRENT,
      [stackKey(this.prefix, stack), stackVersionsKey(this.prefix, stack)],
      [String(version), planId],
    )) as string;
    await this.writeIndexes(stack, version, row);
  }

  private async writeIndexes(stack: string, version: number, row: string): Promise<void> {
    const summary = summaryOf(version, row ? (JSON.parse(row) as StackVersion) : undefined);
    await Promise.all([
      this.redis.sadd(stackIndexKey(this.prefix), stack),
      this.redis.hset(stackSummaryKey(this.prefix), stack, JSON.stringify(summary)),
    ]);
  }

  async currentPlanId(stack: string): Promise<string | undefined> {
    return (await this.redis.hget(stackKey(this.prefix, stack), 'currentPlan')) ?? undefined;
  }

  async stacks(): Promise<string[]> {
    return (await this.redis.smembers(stackIndexKey(this.prefix))).sort();
  }

  /**
   * Every applied stack's summary, by name (a stack at version 0 is left out): two commands
   * whatever the number of stacks. A stack the summary lacks (recorded before the summary was
   * kept, or by a process stopped between the record and the summary) is read from its record and
   * its summary filled in, never over one written meanwhile.
   */
  async summaries(): Promise<Map<string, StackSummary>> {
    const [names, stored] = await Promise.all([
      this.redis.smembers(stackIndexKey(this.prefix)),
      this.redis.hgetall(stackSummaryKey(this.prefix)),
    ]);
    const known = new Map(names.map((name) => [name, readSummary(stored[name])]));
    const missing = names.filter((name) => known.get(name) === undefined);
    if (missing.length > 0) {
      const records = await hmgetEach(
        this.redis,
        missing.map((s) => stackKey(this.prefix, s)),
        CURRENT_FIELDS,
      );
      const rows = await Promise.all(missing.map((s, i) => this.fromRecord(s, records[i]?.[0], records[i]?.[1])));
      await Promise.all(
        missing.map((name, i) => {
          const s = summaryOf(rows[i]?.version ?? 0, rows[i]);
          known.set(name, s);
          return this.redis.hsetnx(stackSummaryKey(this.prefix), name, JSON.stringify(s));
        }),
      );
    }
    const out = new Map<string, StackSummary>();
    for (const name of names.sort()) {
      const s = known.get(name);
      if (s && s.version > 0) out.set(name, s);
    }
    return out;
  }

  /** The stacks that stand now (applied, not destroyed): the names a goal can ask to change. */
  async liveStacks(): Promise<Set<string>> {
    const live = new Set<string>();
    for (const [name, s] of await this.summaries()) if (s.live) live.add(name);
    return live;
  }

  /** Committed monthly spend of every applied stack except `exceptStack`: the brake's baseline. */
  async committedMonthlyUsd(exceptStack?: string): Promise<number> {
    let total = 0;
    for (const [s, v] of await this.summaries()) if (s !== exceptStack) total += v.monthlyUsd;
    return Math.round(total * 100) / 100;
  }
}
