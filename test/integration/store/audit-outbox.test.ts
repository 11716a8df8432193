import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import pg from 'pg';
import { AuditOutbox } from '../../../src/store/audit-outbox.js';
import { catchUpAudit } from '../../../src/store/catch-up-audit.js';
import { openDatabase } from '../../../src/store/open-database.js';
import { PlanStore } from '../../../src/store/plan-store.js';
import { createTestDatabase, type TestDatabase } from '../../support/postgres-database.js';
import { useTestRedis } from '../../support/redis-server.js';
import { waitFor } from '../../support/wait-for.js';

let redis: Redis;
useTestRedis((_s, c) => (redis = c));

let db: TestDatabase;
let pool: pg.Pool;
beforeEach(async () => {
  db = await createTestDatabase();
  pool = await openDatabase({ url: `postgres://postgres@127.0.0.1:5432/${db.name}`, connectTimeoutMs: 1_000 });
});
afterEach(async () => {
  await pool.end();
  await db.drop();
});

/** Runs statements on the server's own database, as an operator would. */
async function admin(...statements: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  await client.connect();
  try {
    for (const sql of statements) await client.query(sql);
  } finally {
    await client.end();
  }
}

const count = async (planId: string) =>
  Number(await db.query(`select count(*) from crew_audit where plan_id = '${planId}'`));

describe('the audit outbox', () => {
  it('writes each transition once, however often it is drained, and the table takes no updates', async () => {
    const prefix = `t${randomBytes(4).toString('hex')}`;
    const audit = new AuditOutbox({ redis, pool, prefix });
    const plans = new PlanStore({ redis, prefix, audit });
    await plans.create({ id: 'p-once', goal: 'g', requestedBy: 'alice', stack: 'dev' });
    await plans.advance('p-once', 'PLAN_SPEC', 'atlas', 'parsed');
    await plans.audit('p-once', { by: 'mallory', action: 'approve', refusal: 'not an approver' });
    await Promise.all([audit.drain(), audit.drain(), new AuditOutbox({ redis, pool, prefix }).close()]);
    await audit.close();
    expect(await count('p-once')).toBe(2);
    expect(await audit.pending()).toBe(0);
    await expect(pool.query(`update crew_audit set actor = 'x'`)).rejects.toThrow(/insert-only/);
  });

  it('keeps rows in Redis while PostgreSQL is gone and writes them all when it is back', async () => {
    const prefix = `t${randomBytes(4).toString('hex')}`;
    const errors: number[] = [];
    const audit = new AuditOutbox({
      redis,
      pool,
      prefix,
      minBackoffMs: 50,
      maxBackoffMs: 200,
      onError: (_e, ms) => errors.push(ms),
    });
    const plans = new PlanStore({ redis, prefix, audit });
    await plans.create({ id: 'p-down', goal: 'g', requestedBy: 'alice' });
    await plans.advance('p-down', 'PLAN_SPEC', 'atlas', 'parsed');
    await audit.drain();
    expect(await count('p-down')).toBe(1);

    // PostgreSQL goes away mid-run: no new connections, the pool's ones cut.
    await admin(
      `alter database ${db.name} allow_connections false`,
      `select pg_terminate_backend(pid) from pg_stat_activity where datname = '${db.name}'`,
    );
    for (const e of ['FORGE_ACK', 'PLAN_READY'] as const) {
      const r = await plans.advance('p-down', e, 'forge', e);
      expect(r.status).toBe('moved'); // the plan does not wait for the audit table
    }
    await waitFor(() => errors.length >= 2, { what: 'retries with backoff' });
    expect(errors.slice(0, 2)).toEqual([50, 100]);
    expect(await audit.pending()).toBe(2);

    await admin(`alter database ${db.name} allow_connections true`);
    await waitFor(async () => (await count('p-down').catch(() => 0)) === 3, {
      what: 'the audit to catch up',
      timeoutMs: 15_000,
    });
    expect(await audit.pending()).toBe(0);
    await audit.close();
    const seqs = await db.query(
      `select string_agg(seq::text, ',' order by seq) from crew_audit where plan_id = 'p-down'`,
    );
    expect(seqs).toBe('1,2,3');
  });

  it('catches up, from the plans in Redis, rows a killed process never put in the outbox', async () => {
    const prefix = `t${randomBytes(4).toString('hex')}`;
    const audit = new AuditOutbox({ redis, pool, prefix });
    const plans = new PlanStore({ redis, prefix, audit });
    await plans.create({ id: 'p-lost', goal: 'g', requestedBy: 'alice', stack: 'dev' });
    await plans.advance('p-lost', 'PLAN_SPEC', 'atlas', 'parsed');
    await audit.close();
    // The same store without its sink: what a process killed between the two steps leaves.
    const bare = new PlanStore({ redis, prefix });
    await bare.advance('p-lost', 'FORGE_ACK', 'forge', 'ack');
    await bare.audit('p-lost', { by: 'mallory', action: 'approve', refusal: 'not an approver' });
    expect(await count('p-lost')).toBe(1);
    expect(await catchUpAudit(bare, pool)).toBe(2);
    expect(await catchUpAudit(bare, pool)).toBe(0);
    expect(
      await db.query(`select string_agg(entry_key, ',' order by entry_key) from crew_audit where plan_id = 'p-lost'`),
    ).toBe('r1,t1,t2');
  });
});
