import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { makeArtifact } from '../../../src/bus/artifact-bus.js';
import { useTestRedis } from '../../support/redis-server.js';
import { conductorRig } from './conductor-rig.js';
import { waitFor } from '../../support/wait-for.js';

let redis: Redis;
useTestRedis((_s, c) => (redis = c));

const SHA = 'a'.repeat(64);
const TO_APPLYING = ['PLAN_SPEC', 'FORGE_ACK', 'PLAN_READY', 'VALIDATION_PASS', 'REVIEW_POSTED', 'APPROVE'] as const;

describe('apply outcomes that must not roll back', () => {
  for (const [result, event, says] of [
    [
      'APPLY_REFUSED',
      'APPLY_REFUSED',
      /apply refused: the plan file .* is not the approved one .*; nothing was applied/,
    ],
    [
      'APPLY_IN_DOUBT',
      'APPLY_IN_DOUBT',
      /apply in doubt: .* a human must check stack outcomes; nothing was rolled back/,
    ],
  ] as const) {
    it(`${result} ends the plan FAILED with the reason, frees the stack and asks for no rollback`, async () => {
      const rig = conductorRig(redis);
      const id = `p-${result.toLowerCase().replaceAll('_', '-')}`;
      await rig.plans.create({ id, goal: 'g', requestedBy: 'alice', stack: 'outcomes' });
      await rig.walk(id, TO_APPLYING);
      await rig.plans.patch(id, { baseVersion: 0 });
      expect((await rig.lock.acquire('outcomes', id, async () => false)).ok).toBe(true);
      const detail =
        result === 'APPLY_REFUSED'
          ? 'the plan file /x.tfplan is missing or is not the approved one (sha256 aaaa); nothing was applied'
          : 'terraform still holds the state lock after 30 min';
      await rig.bus.publish(
        'apply.result',
        makeArtifact(
          'ApplyResult',
          id,
          { result, planSha256: SHA, outputs: {}, detail },
          { producer: 'forge', cause: 'x' },
        ),
      );
      await waitFor(async () => (await rig.plans.get(id))?.state === 'FAILED');

      const last = (await rig.plans.history(id)).at(-1);
      expect(last).toMatchObject({ from: 'APPLYING', to: 'FAILED', event, by: 'forge' });
      expect(last?.reason).toMatch(says);
      expect((await rig.plans.get(id))?.rollback).toBeUndefined();
      expect(await rig.published('rollback.request')).toEqual([]);
      expect(await rig.lock.holder('outcomes')).toBeUndefined();
      const escalations = (await rig.published('ops.event')).filter((e) => e.payload.kind === 'escalation');
      expect(escalations).toHaveLength(result === 'APPLY_IN_DOUBT' ? 1 : 0);
      await rig.bus.close();
    });
  }
});
