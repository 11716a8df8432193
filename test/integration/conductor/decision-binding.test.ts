import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/config/read-config.js';
import { createLogger } from '../../../src/log/create-logger.js';
import { startCrew, type CrewRuntime } from '../../../src/runtime/start-crew.js';
import { streamKey } from '../../../src/redis/keys.js';
import { startRedis, type TestRedis } from '../../support/redis-server.js';

// The binding of a decision to the plan file the person saw, the double-click guard and their
// audit are PlanOperations', so every surface (Slack, CLI, API) gets them the same way.

let server: TestRedis;
let redis: Redis;
let dataDir: string;
let crew: CrewRuntime;
const prefix = `t${randomBytes(4).toString('hex')}`;
const SHA = 'a1'.repeat(32);

beforeAll(async () => {
  server = await startRedis({ aof: false });
  redis = server.client();
  dataDir = mkdtempSync(join(tmpdir(), 'crew-binding-'));
  const config = readConfig({ CREW_DATA_DIR: dataDir, CREW_APPROVERS: 'bob,carol' });
  crew = startCrew({ config, logger: createLogger({ level: 'silent' }), redis, prefix, roles: [] });
});
afterAll(async () => {
  await crew?.close();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function waitingPlan(): Promise<string> {
  const id = `p-${randomBytes(4).toString('hex')}`;
  await crew.plans.create({ id, goal: 'g', requestedBy: 'alice', stack: id });
  for (const e of ['PLAN_SPEC', 'FORGE_ACK', 'PLAN_READY', 'VALIDATION_PASS', 'REVIEW_POSTED'] as const)
    await crew.plans.advance(id, e, 'test', e, e === 'PLAN_READY' ? { planSha256: SHA } : {});
  return id;
}

const decisionsFor = async (id: string) =>
  (await redis.xrange(streamKey(prefix, 'approval.decision'), '-', '+')).filter(([, f]) => f.join(' ').includes(id));

describe('PlanOperations.decide binds every surface to what was seen', () => {
  it('takes one decision per person and plan file: a repeat is refused and audited, another person goes through', async () => {
    const id = await waitingPlan();
    const first = await crew.ops.decide(id, 'approve', 'bob', 'cli', { sha: SHA.slice(0, 7) });
    expect(first.ok).toBe(true);
    const again = await crew.ops.decide(id, 'approve', 'BOB', 'api', { sha: SHA });
    expect(again).toMatchObject({ ok: false, code: 'refused' });
    expect(!again.ok && again.refusal).toBe(`a decision on plan ${id} is already being processed`);
    const other = await crew.ops.decide(id, 'approve', 'carol', 'slack', { sha: SHA });
    expect(other.ok).toBe(true);
    expect(await decisionsFor(id)).toHaveLength(2);
    const audit = await crew.plans.auditLog(id);
    expect(audit).toEqual([
      expect.objectContaining({
        by: 'BOB',
        action: 'approve',
        refusal: expect.stringContaining('already being processed'),
      }),
    ]);
  });

  it('refuses a decision on another plan file, says it is stale, returns the current plan and audits it', async () => {
    const id = await waitingPlan();
    const r = await crew.ops.decide(id, 'approve', 'bob', 'cli', { sha: 'f'.repeat(64) });
    expect(r).toMatchObject({ ok: false, code: 'refused', stale: true, plan: { id, planSha256: SHA } });
    expect(!r.ok && r.refusal).toContain(`but plan ${id} is WAIT_FOR_APPROVE with plan file ${SHA.slice(0, 12)}`);
    expect(await decisionsFor(id)).toHaveLength(0);
    expect((await crew.plans.auditLog(id)).map((a) => a.refusal)).toEqual([expect.stringContaining('older plan file')]);
  });

  it('with requireSha an approval must name the plan file; a rejection need not', async () => {
    const id = await waitingPlan();
    const unbound = await crew.ops.decide(id, 'approve', 'bob', 'cli', { requireSha: true });
    expect(unbound).toMatchObject({ ok: false, code: 'refused', stale: true });
    expect(!unbound.ok && unbound.refusal).toContain(
      `--sha <prefix>); plan ${id}'s current plan file is sha256 ${SHA.slice(0, 12)}`,
    );
    expect(await decisionsFor(id)).toHaveLength(0);
    const bound = await crew.ops.decide(id, 'approve', 'bob', 'cli', { requireSha: true, sha: SHA.slice(0, 9) });
    expect(bound).toMatchObject({ ok: true, value: { bound: true, planSha256: SHA } });
    const reject = await crew.ops.decide(id, 'reject', 'carol', 'cli', { requireSha: true });
    expect(reject.ok).toBe(true);
  });

  it('audits a refusal on a plan that no longer waits, whichever surface asked', async () => {
    const id = await waitingPlan();
    await crew.plans.advance(id, 'REJECT', 'carol', 'no', { rejectedBy: 'carol' });
    const r = await crew.ops.decide(id, 'approve', 'bob', 'api', { sha: SHA });
    expect(!r.ok && r.refusal).toContain('carol rejected it first');
    expect((await crew.plans.auditLog(id)).map((a) => [a.by, a.action])).toEqual([['bob', 'approve']]);
  });
});
