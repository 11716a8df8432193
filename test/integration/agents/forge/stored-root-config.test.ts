import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeRootConfig } from '../../../../src/agents/forge/root-config-artifact.js';
import { readConfig } from '../../../../src/config/read-config.js';
import { createLogger } from '../../../../src/log/create-logger.js';
import { startCrew, type CrewRuntime } from '../../../../src/runtime/start-crew.js';
import { openDatabase } from '../../../../src/store/open-database.js';
import { PostgresArtifactStore } from '../../../../src/store/postgres-artifact-store.js';
import { sha256Hex } from '../../../../src/util/new-id.js';
import { awsSpec } from '../../../support/forge-specs.js';
import { createTestDatabase, type TestDatabase } from '../../../support/postgres-database.js';
import { useTestRedis } from '../../../support/redis-server.js';
import { waitFor } from '../../../support/wait-for.js';

// The root config a plan file was made from is applied from crew_artifacts, checked by sha256:
// a Forge whose data dir never held the plan refuses a missing, corrupt or malformed one before
// Terraform runs, and the plan FAILS with that reason (nothing applied, nothing to roll back).
// The apply from a good stored config is in test/e2e/cli/shared-artifacts.test.ts.

let redis: Redis;
useTestRedis((_s, c) => (redis = c));

let db: TestDatabase;
let pool: pg.Pool;
let crew: CrewRuntime;
let dataDir: string;
beforeAll(async () => {
  db = await createTestDatabase();
  pool = await openDatabase({ url: `postgres://postgres@127.0.0.1:5432/${db.name}` });
  dataDir = mkdtempSync(join(tmpdir(), 'crew-root-config-'));
  crew = startCrew({
    config: readConfig({ CREW_DATA_DIR: dataDir }),
    logger: createLogger({ level: 'silent' }),
    redis,
    prefix: `t${randomBytes(4).toString('hex')}`,
    roles: ['conductor', 'forge'],
    artifacts: new PostgresArtifactStore({ pool }),
  });
});
afterAll(async () => {
  await crew?.close();
  await pool?.end();
  await db?.drop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const CONFIG = { 'main.tf.json': '{"resource":{}}\n', 'backend.tf.json': '{"terraform":{}}\n' };

/** A plan approved with its plan file in the store and `rootConfigSha256` beside it; its last history entry. */
async function approvedPlan(rootConfigSha256: string): Promise<{ stack: string; state: string; reason: string }> {
  const id = `p-${randomBytes(4).toString('hex')}`;
  const stack = `rc-${id.slice(2)}`;
  const planSha256 = await crew.artifacts.put('plan-file', id, Buffer.from(`plan file of ${id}`));
  await crew.plans.create({ id, goal: 'g', requestedBy: 'alice', stack });
  expect(await crew.lock.acquire(stack, id, async () => false)).toEqual({ ok: true });
  const summary = { create: 1, update: 0, replace: 0, delete: 0, noop: 0 };
  const planFile = { path: join('/elsewhere', `${id}.tfplan`), sha256: planSha256 };
  await crew.plans.advance(id, 'PLAN_SPEC', 'atlas', 'spec', { spec: { ...awsSpec(), stack } });
  for (const e of ['FORGE_ACK', 'PLAN_READY', 'VALIDATION_PASS', 'REVIEW_POSTED'] as const)
    await crew.plans.advance(
      id,
      e,
      'test',
      e,
      e === 'PLAN_READY' ? { planSha256, planFile, summary, rootConfigSha256 } : {},
    );
  const decided = await crew.ops.decide(id, 'approve', 'bob', 'cli', { sha: planSha256 });
  if (!decided.ok) throw new Error(decided.refusal);
  const plan = await waitFor(async () => {
    const p = await crew.plans.get(id);
    return p && p.state !== 'WAIT_FOR_APPROVE' && p.state !== 'APPLYING' ? p : undefined;
  });
  return { stack, state: plan.state, reason: (await crew.plans.history(id)).at(-1)?.reason ?? '' };
}

describe('the stored root config, on a Forge that did not plan', () => {
  it.each([
    [
      'a corrupt row',
      async () => {
        const sha = await crew.artifacts.put('rendered-config', 'p-x', encodeRootConfig({ ...CONFIG, 'a.tf': '#' }));
        await pool.query(`update crew_artifacts set bytes = 'tampered'::bytea where sha256 = $1`, [sha]);
        return sha;
      },
      /^apply refused: artifact [0-9a-f]{12} is corrupt: its stored bytes hash to [0-9a-f]{12}; refusing to use them; nothing was applied$/,
    ],
    [
      'a config the store never had',
      async () => sha256Hex(encodeRootConfig({ ...CONFIG, 'b.tf': '#' })),
      /^apply refused: the rendered root config of this plan \(sha256 [0-9a-f]{12}\) is not in the artifact store; nothing was applied$/,
    ],
    [
      'bytes that are no root config',
      async () => crew.artifacts.put('rendered-config', 'p-y', Buffer.from('{"files":{"../../etc/cron.d/x.tf":"#"}}')),
      /^apply refused: rendered root config [0-9a-f]{12} is not usable: "..\/..\/etc\/cron.d\/x.tf" is not a Terraform file name; nothing was applied$/,
    ],
  ])('%s fails the plan with the reason, before Terraform runs', async (_, stored, reason) => {
    const outcome = await approvedPlan(await stored());
    expect(outcome).toMatchObject({ state: 'FAILED', reason: expect.stringMatching(reason) });
    // Refused before anything was written: this Forge made no workspace for the stack.
    expect(existsSync(join(dataDir, 'stacks', outcome.stack))).toBe(false);
  });
});
