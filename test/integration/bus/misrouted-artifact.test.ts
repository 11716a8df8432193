import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeArtifact } from '../../../src/bus/artifact-bus.js';
import { deadLetterKey, streamKey } from '../../../src/redis/keys.js';
import { readConfig } from '../../../src/config/read-config.js';
import { createLogger } from '../../../src/log/create-logger.js';
import { startCrew, type CrewRuntime } from '../../../src/runtime/start-crew.js';
import { startRedis, type TestRedis } from '../../support/redis-server.js';
import { pendingCount, readStream, waitFor } from './bus-fixtures.js';

// The crew's bus carries on each topic only the types the topic map names. An artifact of
// another type that reaches a stream anyway must not be acked unseen: it is a dead letter.

let server: TestRedis;
let redis: Redis;
let dataDir: string;
let crew: CrewRuntime;
const prefix = `t${randomBytes(4).toString('hex')}`;
const SHA = 'c'.repeat(64);

beforeAll(async () => {
  server = await startRedis({ aof: false });
  redis = server.client();
  dataDir = mkdtempSync(join(tmpdir(), 'crew-misrouted-'));
  crew = startCrew({
    config: readConfig({ CREW_DATA_DIR: dataDir }),
    logger: createLogger({ level: 'silent' }),
    redis,
    prefix,
    roles: ['conductor'],
  });
});
afterAll(async () => {
  await crew.close();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A plan waiting for approval and holding its stack, walked there through the store. */
async function waitingPlan(id: string): Promise<void> {
  await crew.plans.create({ id, goal: 'g', requestedBy: 'alice', stack: id });
  expect(await crew.lock.acquire(id, id, async () => false)).toEqual({ ok: true });
  for (const e of ['PLAN_SPEC', 'FORGE_ACK', 'PLAN_READY', 'VALIDATION_PASS', 'REVIEW_POSTED'] as const) {
    await crew.plans.advance(id, e, 'test', e, e === 'PLAN_READY' ? { planSha256: SHA } : {});
  }
}

describe('a misrouted artifact', () => {
  it('is dead-lettered with a reason naming the topic and the type, and its plan fails like any dead letter', async () => {
    const id = `p-${randomBytes(4).toString('hex')}`;
    await waitingPlan(id);
    // A valid envelope of the wrong type, written past the bus as an old or foreign producer would.
    const decision = makeArtifact(
      'ApprovalDecision',
      id,
      { decision: 'approve', by: 'bob', planSha256: SHA },
      { producer: 'test', cause: 'misrouted' },
    );
    const stream = streamKey(prefix, 'apply.result');
    const entryId = await redis.xadd(
      stream,
      '*',
      'artifact',
      JSON.stringify(decision),
      'type',
      decision.type,
      'planId',
      id,
    );

    await waitFor(async () => (await crew.plans.get(id))?.state === 'FAILED', {
      timeoutMs: 10_000,
      what: 'the plan to fail',
    });
    const reason = 'misrouted: apply.result carries ApplyResult, not ApprovalDecision';
    const dead = await readStream(redis, deadLetterKey(prefix));
    expect(dead).toEqual([
      expect.objectContaining({
        topic: 'apply.result',
        group: 'conductor',
        entryId,
        artifactId: decision.id,
        planId: id,
        reason,
        deliveries: '1',
      }),
    ]);
    expect(JSON.parse(dead[0]?.raw ?? '')).toEqual(decision);
    expect(await pendingCount(redis, stream, 'conductor')).toBe(0);
    const last = (await crew.plans.history(id)).at(-1);
    expect(last).toMatchObject({
      from: 'WAIT_FOR_APPROVE',
      to: 'FAILED',
      by: 'bus',
      reason: `dead letter on apply.result/conductor: ${reason}`,
    });
    // The stack's lock went with it, as for every dead letter.
    expect(await crew.lock.holder(id)).toBeUndefined();
  });

  it('is refused by publish at run time when the compiler was bypassed', async () => {
    const event = makeArtifact(
      'OpsEvent',
      'p-refused1',
      { kind: 'heartbeat', detail: 'ok' },
      { producer: 'test', cause: 'refused' },
    );
    const publish = crew.bus.publish.bind(crew.bus) as (topic: 'apply.request', artifact: unknown) => Promise<string>;
    await expect(publish('apply.request', event)).rejects.toMatchObject({
      code: 'CREW_ERR_BAD_ARTIFACT',
      message: 'refused to publish to apply.request: apply.request carries ApplyRequest, not OpsEvent',
    });
    expect(await redis.exists(streamKey(prefix, 'apply.request'))).toBe(0);
  });
});
