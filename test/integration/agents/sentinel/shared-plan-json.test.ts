import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import pg from 'pg';
import { makeArtifact } from '../../../../src/bus/artifact-bus.js';
import { readConfig } from '../../../../src/config/read-config.js';
import { createLogger } from '../../../../src/log/create-logger.js';
import { startCrew, type CrewRuntime } from '../../../../src/runtime/start-crew.js';
import { AuditOutbox } from '../../../../src/store/audit-outbox.js';
import { openDatabase } from '../../../../src/store/open-database.js';
import { PostgresArtifactStore } from '../../../../src/store/postgres-artifact-store.js';
import { sha256Hex } from '../../../../src/util/new-id.js';
import { FIXTURES } from '../../../support/paths.js';
import { createTestDatabase, type TestDatabase } from '../../../support/postgres-database.js';
import { useTestRedis } from '../../../support/redis-server.js';
import { waitFor } from '../../../support/wait-for.js';

let redis: Redis;
useTestRedis((_s, c) => (redis = c));

let db: TestDatabase;
let pool: pg.Pool;
let crew: CrewRuntime;
let audit: AuditOutbox;
beforeEach(async () => {
  db = await createTestDatabase();
  pool = await openDatabase({ url: `postgres://postgres@127.0.0.1:5432/${db.name}` });
  const prefix = `t${randomBytes(4).toString('hex')}`;
  audit = new AuditOutbox({ redis, pool, prefix });
  // A Sentinel whose data dir never held the plan: only the artifact store has it.
  crew = startCrew({
    config: readConfig({ CREW_DATA_DIR: '/nonexistent', CREW_MAX_DELIVERIES: '1' }),
    logger: createLogger({ level: process.env.T_LOG ?? 'silent' }),
    redis,
    prefix,
    roles: ['conductor', 'sentinel'],
    artifacts: new PostgresArtifactStore({ pool }),
    audit,
  });
});
afterEach(async () => {
  await crew.close();
  await audit.close();
  await pool.end();
  await db.drop();
});

const SUMMARY = { create: 1, update: 0, replace: 0, delete: 0, noop: 0 };

/** A plan in VALIDATING whose plan JSON is in the store only, and Forge's request for it on the bus. */
async function validate(planId: string, planJson: Buffer): Promise<string> {
  const sha = await crew.artifacts.put('plan-json', planId, planJson);
  await crew.plans.create({ id: planId, goal: 'g', requestedBy: 'alice', stack: 'shared-dev' });
  for (const e of ['PLAN_SPEC', 'FORGE_ACK', 'PLAN_READY'] as const) await crew.plans.advance(planId, e, 'test', e);
  const planFile = { path: '/elsewhere/plan.tfplan', sha256: sha256Hex('plan file') };
  const payload = {
    stack: 'shared-dev',
    planFile,
    planJson: { path: '/elsewhere/plan.json', sha256: sha },
    summary: SUMMARY,
  };
  await crew.bus.publish('validate.pending', makeArtifact('ValidateRequest', planId, payload, { producer: 'forge' }));
  return sha;
}

describe('Sentinel reads the plan JSON from the artifact store', () => {
  it('judges a plan planned on another host, by the stored bytes', async () => {
    await validate('p-shared01', readFileSync(join(FIXTURES, 'plans', 'aws-spot-ollama-pass.json')));
    const plan = await waitFor(async () => {
      const p = await crew.plans.get('p-shared01');
      return p && p.state !== 'VALIDATING' && p;
    });
    expect(plan.state).not.toBe('FAILED');
    expect(plan.validation).toBeDefined();
  });

  it('fails the plan, with the reason, when the stored plan JSON is corrupt; the audit trail says so', async () => {
    const bytes = readFileSync(join(FIXTURES, 'plans', 'aws-spot-ollama-pass.json'));
    // Corrupted before Sentinel can read it (storing the same bytes again leaves the row as it is).
    const sha = await crew.artifacts.put('plan-json', 'p-corrupt1', bytes);
    await pool.query(`update crew_artifacts set bytes = 'tampered'::bytea where sha256 = $1`, [sha]);
    await validate('p-corrupt1', bytes);
    const plan = await waitFor(async () => {
      const p = await crew.plans.get('p-corrupt1');
      return p?.state === 'FAILED' && p;
    });
    expect(JSON.stringify(await crew.plans.history('p-corrupt1'))).toMatch(/artifact [0-9a-f]{12} is corrupt/);
    expect(plan.state).toBe('FAILED');
    await audit.drain();
    const { rows } = await pool.query(
      `select seq, from_state, to_state, actor, reason, stack from crew_audit where plan_id = 'p-corrupt1' order by seq`,
    );
    expect(rows.map((r) => `${r.seq} ${r.from_state}>${r.to_state} ${r.stack}`)).toEqual([
      '1 DRAFTING>PENDING shared-dev',
      '2 PENDING>IN_PROGRESS shared-dev',
      '3 IN_PROGRESS>VALIDATING shared-dev',
      '4 VALIDATING>FAILED shared-dev',
    ]);
    expect(rows[3]).toMatchObject({ actor: 'bus', reason: expect.stringMatching(/is corrupt/) });
  });
});
