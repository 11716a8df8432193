import type { Redis } from 'ioredis';
import { beforeEach, describe, expect, it } from 'vitest';
import { forecastMonth } from '../../../../src/agents/finpilot/forecast-spend.js';
import {
  budgetSummary,
  readSpendEvents,
  recordSpend,
  type SpendEvent,
} from '../../../../src/agents/finpilot/spend-ledger.js';
import { useTestRedis } from '../../../support/redis-server.js';

let redis: Redis;
let prefix: string;

useTestRedis((_s, c) => (redis = c), { aof: false });
beforeEach(() => {
  prefix = `t${Math.random().toString(36).slice(2, 8)}`;
});

// March 2026 has 31 days, so $31/month accrues $1 a day.
const EVENTS: SpendEvent[] = [
  { stack: 'alpha', monthlyUsd: 310, at: '2026-02-20T00:00:00Z', planId: 'p-a1', kind: 'apply' },
  { stack: 'gamma', monthlyUsd: 62, at: '2026-03-02T00:00:00Z', planId: 'p-c1', kind: 'apply' },
  { stack: 'gamma', monthlyUsd: 0, at: '2026-03-04T00:00:00Z', planId: 'p-c1', kind: 'rollback' },
  { stack: 'beta', monthlyUsd: 620, at: '2026-03-11T00:00:00Z', planId: 'p-b1', kind: 'apply' },
  { stack: 'beta', monthlyUsd: 9999, at: '2026-03-20T00:00:00Z', planId: 'p-b2', kind: 'apply' },
];
const NOW = new Date('2026-03-16T00:00:00Z');

describe('forecastMonth', () => {
  it('accrues each rate pro rata and projects the current rate to month end', () => {
    const f = forecastMonth(EVENTS, NOW);
    expect(f).toMatchObject({ month: '2026-03', spentUsd: 254, forecastUsd: 734, runRateUsd: 930 });
    expect(f.stacks).toEqual([
      { stack: 'alpha', runRateUsd: 310, spentUsd: 150, forecastUsd: 310 },
      { stack: 'beta', runRateUsd: 620, spentUsd: 100, forecastUsd: 420 },
      { stack: 'gamma', runRateUsd: 0, spentUsd: 4, forecastUsd: 4 },
    ]);
  });

  it('is all run rate on the first instant of the month', () => {
    expect(forecastMonth(EVENTS.slice(0, 1), new Date('2026-03-01T00:00:00Z'))).toMatchObject({
      spentUsd: 0,
      forecastUsd: 310,
    });
  });
});

describe('spend ledger in Redis', () => {
  it('records each plan event once and reads them back in time order', async () => {
    for (const e of [...EVENTS].reverse()) expect(await recordSpend(redis, e, { prefix })).toBe(true);
    expect(await recordSpend(redis, { ...EVENTS[0]!, at: '2026-03-15T00:00:00Z' }, { prefix })).toBe(false);
    const read = await readSpendEvents(redis, {}, { prefix });
    expect(read.map((e) => e.planId + e.kind)).toEqual(EVENTS.map((e) => e.planId + e.kind));
    expect(read[0]?.at).toBe('2026-02-20T00:00:00.000Z');
  });

  it('puts the forecast against the brake', async () => {
    for (const e of EVENTS) await recordSpend(redis, e, { prefix });
    const ok = await budgetSummary(redis, { prefix, budgetUsd: 1000, brakeRatio: 0.8, now: NOW });
    expect(ok).toMatchObject({
      spentUsd: 254,
      forecastUsd: 734,
      budgetUsd: 1000,
      limitUsd: 800,
      ratio: 0.734,
      brake: false,
      headroomUsd: 66,
    });
    const over = await budgetSummary(redis, { prefix, budgetUsd: 900, brakeRatio: 0.8, now: NOW });
    expect(over).toMatchObject({ limitUsd: 720, brake: true, headroomUsd: -14 });
    expect(await budgetSummary(redis, { prefix, budgetUsd: null, now: NOW })).toMatchObject({
      limitUsd: null,
      ratio: null,
      brake: false,
    });
  });

  it('rejects an event without a valid date or amount', async () => {
    await expect(recordSpend(redis, { ...EVENTS[0]!, at: 'yesterday' }, { prefix })).rejects.toThrow(/not a date/);
    await expect(recordSpend(redis, { ...EVENTS[0]!, monthlyUsd: -1 }, { prefix })).rejects.toThrow(/not an amount/);
  });
});
