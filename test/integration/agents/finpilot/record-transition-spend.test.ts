import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { recordTransitionSpend } from '../../../../src/agents/finpilot/record-transition-spend.js';
import { readSpendEvents } from '../../../../src/agents/finpilot/spend-ledger.js';
import type { PlanRecord } from '../../../../src/plan/plan-record.js';
import { StackStore } from '../../../../src/store/stack-store.js';
import { useTestRedis } from '../../../support/redis-server.js';

let redis: Redis;
useTestRedis((_s, c) => (redis = c), { aof: false });

const AT = new Date('2026-03-10T12:00:00Z');
const plan = (p: Partial<PlanRecord>) => ({ id: 'p-1', stack: 'web', ...p }) as PlanRecord;

describe("FinPilot's ledger, kept from plan transitions", () => {
  it('records the validated cost on DONE and the restored version on ROLLED_BACK, once each, and nothing else', async () => {
    const prefix = `t${Math.random().toString(36).slice(2, 8)}`;
    const stacks = new StackStore({ redis, prefix });
    await stacks.recordApplied('web', { planId: 'p-0', spec: null, monthlyUsd: 42, appliedAt: AT.toISOString() });
    const record = recordTransitionSpend({ redis, stacks, prefix, now: () => AT });
    const applied = plan({ validation: { cost: { monthlyUsd: 120 } } as PlanRecord['validation'] });
    await record(applied, 'DONE');
    await record(applied, 'DONE');
    await record(
      plan({ id: 'p-2', rollback: { by: 'bob', toVersion: 1, requestedAt: AT.toISOString() } }),
      'ROLLED_BACK',
    );
    await record(plan({ id: 'p-3' }), 'FAILED');
    await record(plan({ id: 'p-4', stack: undefined }), 'DONE');
    expect(await readSpendEvents(redis, {}, { prefix })).toEqual([
      { stack: 'web', monthlyUsd: 120, at: AT.toISOString(), planId: 'p-1', kind: 'apply' },
      { stack: 'web', monthlyUsd: 42, at: AT.toISOString(), planId: 'p-2', kind: 'rollback' },
    ]);
  });
});
