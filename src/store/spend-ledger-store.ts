import type { Redis } from 'ioredis';
import { spendEventsKey, spendSeenKey } from '../redis/keys.js';
import { RECORD_SPEND } from '../redis/lua-scripts.js';
import { runScript } from '../redis/run-script.js';

/** FinPilot's spend ledger: event rows (JSON) by time, each recorded once per event id. */
export class SpendLedgerStore {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(options: { redis: Redis; prefix?: string }) {
    this.redis = options.redis;
    this.prefix = options.prefix ?? 'crew';
  }

  /** Appends `row` at `atMs` unless `eventId` was recorded already (one atomic step); false then. */
  async record(eventId: string, atMs: number, row: string): Promise<boolean> {
    const added = await runScript(
      this.redis,
      RECORD_SPEND,
      [spendEventsKey(this.prefix), spendSeenKey(this.prefix)],
      [eventId, String(atMs), row],
    );
    return Number(added) === 1;
  }

  /** Rows with from ≤ at ≤ to (ms; open ends when left out), oldest first. */
  async read(range: { fromMs?: number; toMs?: number } = {}): Promise<string[]> {
    return this.redis.zrangebyscore(spendEventsKey(this.prefix), range.fromMs ?? '-inf', range.toMs ?? '+inf');
  }
}
