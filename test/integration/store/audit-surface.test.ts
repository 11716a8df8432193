import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRow } from '../../../src/store/audit-sink.js';
import { currentSurface, surfaceOfProducer, withSurface } from '../../../src/store/audit-surface.js';
import { catchUpAudit } from '../../../src/store/catch-up-audit.js';
import { openDatabase } from '../../../src/store/open-database.js';
import { PlanStore } from '../../../src/store/plan-store.js';
import { createTestDatabase, type TestDatabase } from '../../support/postgres-database.js';
import { useTestRedis } from '../../support/redis-server.js';

let redis: Redis;
let db: TestDatabase;
let pool: Pool;
useTestRedis((_, c) => (redis = c));
beforeAll(async () => {
  db = await createTestDatabase();
  pool = await openDatabase({ url: `postgres://postgres@127.0.0.1:5432/${db.name}` });
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

function storeWithSink(): { store: PlanStore; rows: AuditRow[] } {
  const rows: AuditRow[] = [];
  const store = new PlanStore({
    redis,
    prefix: `t${randomBytes(4).toString('hex')}`,
    audit: { append: async (r) => void rows.push(r) },
  });
  return { store, rows };
}

describe('the audit records the surface behind each entry', () => {
  it('maps producers to surfaces: people’s surfaces by name, every agent is system', () => {
    expect(
      ['slack', 'cli', 'api', 'mcp', 'scheduler', 'forge', 'conductor', 'chaos-test'].map(surfaceOfProducer),
    ).toEqual(['slack', 'cli', 'api', 'mcp', 'scheduler', 'system', 'system', 'system']);
    expect(currentSurface()).toBe('system');
  });

  it('fills surface on transitions, refusals and decisions from the surface that caused them, through awaits', async () => {
    const { store, rows } = storeWithSink();
    await store.create({ id: 'p-surf1', goal: 'g', requestedBy: 'alice' });
    await store.advance('p-surf1', 'PLAN_SPEC', 'atlas', 'parsed', { stack: 's1' });
    await withSurface('slack', async () => {
      await new Promise((r) => setTimeout(r, 5));
      await store.advance('p-surf1', 'CANCEL', 'alice', 'cancelled in Slack');
    });
    await withSurface('api', () => store.audit('p-surf1', { by: 'mallory', action: 'approve', refusal: 'no' }));
    await withSurface('cli', () =>
      store.recordDecision('p-surf1', 'd-1', {
        by: 'bob',
        decision: 'approve',
        planSha256: 'a'.repeat(64),
        accepted: true,
      }),
    );
    expect(rows.map((r) => [r.kind, r.to ?? r.event, r.surface])).toEqual([
      ['transition', 'PENDING', 'system'],
      ['transition', 'FAILED', 'slack'],
      ['refusal', 'approve', 'api'],
      ['decision', 'approve', 'cli'],
    ]);
    // Redis keeps it too, so rows a killed process never sent are caught up with their surface.
    expect((await store.history('p-surf1')).map((t) => t.surface)).toEqual(['system', 'slack']);
  });

  it('catch-up writes the surface Redis recorded into crew_audit', async () => {
    const { store } = storeWithSink();
    await store.create({ id: 'p-surf2', goal: 'g', requestedBy: 'alice' });
    await withSurface('scheduler', () => store.advance('p-surf2', 'PLAN_SPEC', 'atlas', 'parsed', { stack: 's2' }));
    await withSurface('cli', () => store.advance('p-surf2', 'CANCEL', 'alice', 'cancelled'));
    await withSurface('api', () => store.audit('p-surf2', { by: 'mallory', action: 'rollback', refusal: 'no' }));
    expect(await catchUpAudit(store, pool)).toBe(3);
    const got = await db.query(`select kind || ':' || surface from crew_audit where plan_id = 'p-surf2' order by id`);
    expect(got.split('\n')).toEqual(['transition:scheduler', 'transition:cli', 'refusal:api']);
  });
});
