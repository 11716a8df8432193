import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonOf, makeCrewEnv, stateAddresses, type CrewEnv } from '../../../support/crew-env.js';
import { FIXTURE_BIN } from '../../../support/paths.js';

let t: CrewEnv;
beforeAll(async () => {
  t = await makeCrewEnv();
});
afterAll(async () => t.close());

describe('a failed apply', () => {
  it('rolls back automatically and the approve command says so (exit 2)', async () => {
    const env = {
      CREW_TERRAFORM_BIN: join(FIXTURE_BIN, 'terraform-fail-first-apply'),
      TF_CREW_TEST_MARKER: join(t.dataDir, 'failed-once'),
    };
    const planned = jsonOf<{ id: string }>(
      await t.crew(['plan', 'private Ollama on spot g4dn.xlarge, stack fails-once', '--as', 'alice', '--json'], env),
    );
    const approved = await t.crew(['approve', planned.id, '--as', 'bob', '--json'], env);
    expect(approved.code, approved.stderr).toBe(2);
    const out = jsonOf<{
      state: string;
      failure: string;
      rollback: { by: string; toVersion: number; finishedAt: string };
    }>(approved);
    expect(out.state).toBe('ROLLED_BACK');
    expect(out.failure).toContain('simulated failure');
    expect(out.rollback).toMatchObject({ by: 'forge', toVersion: 0 });
    const history = await t.plans().history(planned.id);
    expect(history.slice(-3).map((h) => [h.event, h.to])).toEqual([
      ['APPROVE', 'APPLYING'],
      ['APPLY_FAILED', 'ROLLBACK'],
      ['ROLLBACK_DONE', 'ROLLED_BACK'],
    ]);
    expect(await stateAddresses(t.dataDir, 'fails-once')).toEqual([]);
  });
});
