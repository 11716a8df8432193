import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeArtifact } from '../../../src/bus/artifact-bus.js';
import { readConfig } from '../../../src/config/read-config.js';
import { createLogger } from '../../../src/log/create-logger.js';
import { startCrew, type CrewRuntime } from '../../../src/runtime/start-crew.js';
import { startRedis, type TestRedis } from '../../support/redis-server.js';

// Two crew processes on one Redis with different environments: the operator's rules are the
// only ones any Conductor applies, whichever process handles a decision.

let server: TestRedis;
let redis: Redis;
let dataDir: string;
const crews: CrewRuntime[] = [];
const prefix = `t${randomBytes(4).toString('hex')}`;

function crewWith(env: Record<string, string>, roles: Array<'conductor'>): CrewRuntime {
  const config = readConfig({ CREW_DATA_DIR: dataDir, ...env });
  const crew = startCrew({ config, logger: createLogger({ level: 'silent' }), redis, prefix, roles });
  crews.push(crew);
  return crew;
}

/** A plan waiting for approval, walked there through the store as the pipeline would. */
async function waitingPlan(crew: CrewRuntime, id: string): Promise<string> {
  await crew.plans.create({ id, goal: 'g', requestedBy: 'alice', stack: id });
  for (const e of ['PLAN_SPEC', 'FORGE_ACK', 'PLAN_READY', 'VALIDATION_PASS', 'REVIEW_POSTED'] as const) {
    await crew.plans.advance(id, e, 'test', e, e === 'PLAN_READY' ? { planSha256: 'c'.repeat(64) } : {});
  }
  return id;
}

beforeAll(async () => {
  server = await startRedis({ aof: false });
  redis = server.client();
  dataDir = mkdtempSync(join(tmpdir(), 'crew-access-'));
});
afterAll(async () => {
  for (const c of crews) await c.close();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("the crew's access policy", () => {
  it("is the operator's for every Conductor: a client Conductor with an open environment still refuses a non-approver", async () => {
    const operator = crewWith({ CREW_APPROVERS: 'bob', CREW_APPROVAL_TTL_MIN: '30' }, []);
    await operator.access.publish(operator.ownAccessPolicy('operator'));
    // The only Conductor running is the client's, whose environment names no approvers.
    const client = crewWith({}, ['conductor']);
    expect((await client.access.current()).approvers).toEqual(['bob']);
    const id = await waitingPlan(client, `p-${randomBytes(4).toString('hex')}`);
    // Straight onto the bus, past any surface's own check: the Conductor is the judge.
    const decision = makeArtifact(
      'ApprovalDecision',
      id,
      { decision: 'approve', by: 'carol', planSha256: 'c'.repeat(64) },
      { producer: 'test', cause: 'd1' },
    );
    await client.bus.publish('approval.decision', decision);
    const deadline = Date.now() + 10_000;
    let outcome = await client.plans.decisionOutcome(id, decision.id);
    while (!outcome && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      outcome = await client.plans.decisionOutcome(id, decision.id);
    }
    expect(outcome).toMatchObject({ accepted: false, refusal: 'carol is not an approver (approvers: bob)' });
    expect((await client.plans.get(id))?.state).toBe('WAIT_FOR_APPROVE');
    const direct = await client.ops.decide(id, 'approve', 'carol', 'test');
    expect(direct).toMatchObject({ ok: false, refusal: 'carol is not an approver (approvers: bob)' });
  });

  it('is set by the first process when no operator has published one, and kept until an operator does', async () => {
    await redis.del(`${prefix}:{crew}:access-policy`);
    const first = crewWith({ CREW_APPROVERS: 'dave' }, []);
    expect(await first.access.current()).toMatchObject({ approvers: ['dave'], source: 'first-process' });
    const second = crewWith({ CREW_APPROVERS: 'erin' }, []);
    expect(await second.access.current()).toMatchObject({ approvers: ['dave'], source: 'first-process' });
    const operator = crewWith({ CREW_APPROVERS: 'frank' }, []);
    const before = await operator.access.publish(operator.ownAccessPolicy('operator'));
    expect(before?.approvers).toEqual(['dave']);
    expect(await second.access.current()).toMatchObject({ approvers: ['frank'], source: 'operator' });
  });
});
