import type { Redis } from 'ioredis';
import { Gauge, type Registry } from 'prom-client';
import { StackStore } from '../store/stack-store.js';
import { DriftStore } from '../store/drift-store.js';
import type { StackDriftResult } from '../store/drift-types.js';

/** The last drift result of every applied stack, read from Redis at scrape time. */
async function lastResults(redis: Redis, prefix: string): Promise<StackDriftResult[]> {
  const stacks = new StackStore({ redis, prefix });
  const drift = new DriftStore({ redis, prefix });
  const out: StackDriftResult[] = [];
  for (const s of await stacks.stacks()) {
    const r = await drift.lastResult(s);
    if (r) out.push(r);
  }
  return out;
}

/**
 * `crew_drift_attributes{stack}`: drifted attributes the last check of each stack found (0 when
 * clean), and `crew_drift_checked_timestamp_seconds{stack,status}`: when, and how it ended.
 */
export function registerDriftMetrics(registry: Registry, o: { redis: Redis; prefix?: string }): void {
  const registers = [registry];
  const prefix = o.prefix ?? 'crew';
  let pending: Promise<StackDriftResult[]> | undefined;
  // Both gauges of one scrape share one read.
  const read = () => {
    pending ??= lastResults(o.redis, prefix).finally(() => setTimeout(() => (pending = undefined), 500).unref());
    return pending.catch(() => []);
  };
  new Gauge({
    name: 'crew_drift_attributes',
    help: 'Drifted attributes found by the last drift check of each stack',
    labelNames: ['stack'] as const,
    registers,
    async collect() {
      const results = await read();
      this.reset();
      for (const r of results) this.set({ stack: r.stack }, r.drift.length);
    },
  });
  new Gauge({
    name: 'crew_drift_checked_timestamp_seconds',
    help: 'When the last drift check of each stack ran, by how it ended (clean, drifted, skipped, failed, snoozed)',
    labelNames: ['stack', 'status'] as const,
    registers,
    async collect() {
      const results = await read();
      this.reset();
      for (const r of results) this.set({ stack: r.stack, status: r.status }, Date.parse(r.checkedAt) / 1000);
    },
  });
}
