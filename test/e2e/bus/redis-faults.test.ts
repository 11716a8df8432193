import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOPICS } from '../../../src/bus/topics.js';
import { deadLetterKey, streamKey } from '../../../src/redis/keys.js';
import { CREW_BIN } from '../../support/run-crew.js';
import { jsonOf, makeCrewEnv, type CrewEnv } from '../../support/crew-env.js';
import { waitFor } from '../../support/wait-for.js';

let t: CrewEnv;
beforeAll(async () => {
  t = await makeCrewEnv();
});
afterAll(async () => t.close());

describe('Redis restarts mid-pipeline (AOF)', () => {
  for (const hard of [false, true]) {
    it(`loses no artifact and no transition (${hard ? 'kill -9' : 'SIGTERM'} of redis-server)`, async () => {
      const stack = hard ? 'redis-hard' : 'redis-soft';
      const child = execa(
        'node',
        [
          CREW_BIN,
          'plan',
          `private Ollama on spot g4dn.xlarge, 2 instances, stack ${stack}`,
          '--as',
          'alice',
          '--json',
        ],
        {
          env: { ...t.env, CREW_LOG_LEVEL: 'silent' },
          reject: false,
        },
      );
      const plans = t.plans();
      // Restart while Forge is planning: artifacts are in flight on several streams.
      const id = await waitFor(
        async () => {
          const p = (await plans.recent(1).catch(() => []))[0];
          return p && p.stack === stack && p.state === 'IN_PROGRESS' ? p.id : undefined;
        },
        { what: 'the plan to reach IN_PROGRESS', timeoutMs: 30_000 },
      );
      await t.redis.kill(hard);
      await new Promise((r) => setTimeout(r, 300));
      await t.redis.restart();
      const r = await child;
      expect(r.exitCode, String(r.stderr)).toBe(0);
      const out = jsonOf({ code: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) });
      expect(out).toMatchObject({ id, state: 'WAIT_FOR_APPROVE' });
      const fresh = t.plans();
      const rows = await fresh.history(id);
      expect(rows.map((x) => x.to)).toEqual([
        'PENDING',
        'IN_PROGRESS',
        'VALIDATING',
        'READY_FOR_APPLY',
        'WAIT_FOR_APPROVE',
      ]);
      const approved = await t.crew(['approve', id, '--as', 'bob']);
      expect(approved.code, approved.stderr).toBe(0);
    });
  }
});

describe('malformed artifacts', () => {
  it('go to the dead-letter stream with their reason while the crew keeps working', async () => {
    const redis = t.redis.client();
    const consumed = TOPICS.filter((x) => x !== 'notify' && x !== 'ops.event');
    for (const topic of consumed) {
      await redis.xadd(streamKey('crew', topic), '*', 'artifact', '{"not":"an artifact"}');
      await redis.xadd(streamKey('crew', topic), '*', 'artifact', 'this is not json');
    }
    const r = await t.crew(['plan', 'private Ollama on spot g4dn.xlarge, stack dlq-works', '--as', 'alice', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(jsonOf(r)).toMatchObject({ state: 'WAIT_FOR_APPROVE' });
    const dead = await redis.xrange(deadLetterKey('crew'), '-', '+');
    const rows = dead.map(([, fields]) =>
      Object.fromEntries(fields.reduce<string[][]>((acc, v, i) => (i % 2 ? acc : [...acc, [v, fields[i + 1]!]]), [])),
    );
    for (const topic of consumed) {
      const mine = rows.filter((row) => row.topic === topic);
      expect(mine.length, topic).toBeGreaterThanOrEqual(2);
      expect(
        mine.some((row) => /envelope|missing field/.test(row.reason ?? '')),
        topic,
      ).toBe(true);
      expect(
        mine.some((row) => /JSON/i.test(row.reason ?? '')),
        topic,
      ).toBe(true);
    }
  });

  it('mark the plan an artifact belonged to FAILED, with the reason in its history', async () => {
    const planned = jsonOf<{ id: string }>(
      await t.crew(['plan', 'private Ollama on spot g4dn.xlarge, stack dlq-fails', '--as', 'alice', '--json']),
    );
    const redis = t.redis.client();
    const bad = {
      id: 'a-bad0000001',
      type: 'ApprovalDecision',
      version: '0.1',
      planId: planned.id,
      producer: 'mallory',
      createdAt: new Date().toISOString(),
      payload: { decision: 'approve', by: 'mallory', planSha256: 'nope' },
    };
    await redis.xadd(
      streamKey('crew', 'approval.decision'),
      '*',
      'artifact',
      JSON.stringify(bad),
      'type',
      'ApprovalDecision',
      'planId',
      planned.id,
    );
    const worker = execa('node', [CREW_BIN, 'worker'], { env: { ...t.env, CREW_LOG_LEVEL: 'silent' }, reject: false });
    const plans = t.plans();
    await waitFor(async () => (await plans.get(planned.id))?.state === 'FAILED', {
      what: 'the plan to fail',
      timeoutMs: 30_000,
    });
    worker.kill('SIGTERM');
    const stopped = await worker;
    expect(stopped.exitCode, String(stopped.stderr)).toBe(0);
    const last = (await t.plans().history(planned.id)).at(-1);
    expect(last).toMatchObject({ from: 'WAIT_FOR_APPROVE', to: 'FAILED', by: 'bus' });
    expect(last?.reason).toMatch(
      /^dead letter on approval\.decision\/conductor: malformed entry: ApprovalDecision payload\.planSha256: must match pattern/,
    );
    // The stack's lock went with it.
    expect(await redis.get('crew:stack:{stack:dlq-fails}:lock')).toBeNull();
  });
});
