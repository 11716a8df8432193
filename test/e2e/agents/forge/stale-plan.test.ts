import { execa } from 'execa';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonOf, makeCrewEnv, stateAddresses, type CrewEnv } from '../../../support/crew-env.js';

let t: CrewEnv;
beforeAll(async () => {
  t = await makeCrewEnv();
});
afterAll(async () => t.close());

type Out = {
  id: string;
  state: string;
  planSha256: string;
  version?: number;
  planSpec: { params: { desiredCapacity: number } };
};

describe('a stale plan', () => {
  it('is re-planned when the stack moved after review, and needs a fresh approval', async () => {
    const stack = 'ollama-stale';
    const first = jsonOf<Out>(
      await t.crew(['plan', `private Ollama on spot g4dn.xlarge, stack ${stack}`, '--as', 'alice', '--json']),
    );
    expect((await t.crew(['approve', first.id, '--as', 'bob'])).code).toBe(0);

    const change = jsonOf<Out>(await t.crew(['plan', `scale ${stack} to 3`, '--as', 'alice', '--json']));
    expect(change.state).toBe('WAIT_FOR_APPROVE');
    expect(change.planSpec.params.desiredCapacity).toBe(3);

    // Someone changes the stack outside the crew after the review: the saved plan is stale.
    const ws = join(t.dataDir, 'stacks', stack);
    const removed = await execa('terraform', ['state', 'rm', 'terraform_data.aws_cloudwatch_log_group__flow'], {
      cwd: ws,
      reject: false,
    });
    expect(removed.exitCode, String(removed.stderr)).toBe(0);

    const approved = await t.crew(['approve', change.id, '--as', 'bob', '--json']);
    expect(approved.code).toBe(3);
    expect(approved.stderr).toContain('the stack changed after plan');
    expect(approved.stderr).toContain('needs a fresh approval');
    const replanned = jsonOf<Out>(approved);
    expect(replanned.state).toBe('WAIT_FOR_APPROVE');
    expect(replanned.planSha256).not.toBe(change.planSha256);
    // The removed resource is not back: nothing of the stale plan was applied.
    expect((await stateAddresses(t.dataDir, stack)).some((a) => a.includes('aws_cloudwatch_log_group__flow'))).toBe(
      false,
    );

    const history = await t.plans().history(change.id);
    expect(history.map((h) => h.to)).toEqual([
      'PENDING',
      'IN_PROGRESS',
      'VALIDATING',
      'READY_FOR_APPLY',
      'WAIT_FOR_APPROVE',
      'APPLYING',
      'IN_PROGRESS',
      'VALIDATING',
      'READY_FOR_APPLY',
      'WAIT_FOR_APPROVE',
    ]);
    expect(history[6]?.event).toBe('APPLY_STALE');

    // The re-planned file replaces a resource: approving it asks for the stack's name (step-up).
    const unconfirmed = await t.crew(['approve', change.id, '--as', 'bob', '--json']);
    expect(unconfirmed.code).toBe(3);
    expect(unconfirmed.stderr).toContain(`confirm with --confirm ${stack}`);
    const fresh = await t.crew(['approve', change.id, '--as', 'bob', '--confirm', stack, '--json']);
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(jsonOf<Out>(fresh)).toMatchObject({ state: 'DONE', version: 2 });
    expect((await stateAddresses(t.dataDir, stack)).some((a) => a.includes('aws_cloudwatch_log_group__flow'))).toBe(
      true,
    );
  });
});
