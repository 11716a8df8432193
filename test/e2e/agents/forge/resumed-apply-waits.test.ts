import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonOf, makeCrewEnv, stateAddresses, type CrewEnv } from '../../../support/crew-env.js';
import { SLOW_TERRAFORM, slowApplyEnv, slowApplyLog, waitForSlowApply } from '../../../support/slow-apply.js';
import { PATH_TO_DONE } from '../../../support/plan-paths.js';

// A crew process is killed while its real `terraform apply` is busy, and the apply keeps the
// state lock longer than the -lock-timeout (1 s here) of the process that resumes the plan.
// A lock error then is not a failed apply: the resumed process must wait for the running
// one and re-check, and never roll back while an apply may still be in flight.

const goal = (stack: string) => `private Ollama on spot g4dn.xlarge, off on weekends, stack ${stack}`;

let t: CrewEnv;
beforeAll(async () => {
  t = await makeCrewEnv({ CREW_TERRAFORM_BIN: SLOW_TERRAFORM, CREW_TF_LOCK_TIMEOUT_SEC: '1' });
});
afterAll(async () => t.close());

/** Plans `stack`, approves it in a crew process and kills that process while Terraform applies. */
async function killedMidApply(stack: string, env: Record<string, string>): Promise<string> {
  const planned = await t.crew(['plan', goal(stack), '--as', 'alice', '--json'], env);
  expect(planned.code, planned.stderr).toBe(0);
  const id = jsonOf<{ id: string }>(planned).id;
  const approving = t.start(['approve', id, '--as', 'bob', '--json'], env);
  await waitForSlowApply(slowApplyLog(t.dataDir, stack), ['started']);
  approving.kill('SIGKILL');
  expect((await approving.done).signal).toBe('SIGKILL');
  return id;
}

describe('resuming a plan whose apply is still running', () => {
  it('waits for the running apply instead of failing on its state lock, then finds it done (no rollback)', async () => {
    const stack = 'resume-waits';
    const env = slowApplyEnv(t.dataDir, stack, 15);
    const id = await killedMidApply(stack, env);

    const resumed = await t.crew(['wait', id, '--json', '--timeout', '150'], env);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(jsonOf(resumed)).toMatchObject({ id, state: 'DONE', version: 1 });
    expect((await t.plans().history(id)).map((h) => h.to)).toEqual(PATH_TO_DONE);
    expect(await slowApplyLog(t.dataDir, stack).lines()).toEqual(['started', 'finished']);
    expect(await stateAddresses(t.dataDir, stack)).toContain('terraform_data.aws_vpc__main');
  });

  it('ends FAILED for a human, and rolls nothing back, when the running apply outlasts the wait', async () => {
    const stack = 'resume-in-doubt';
    const env = slowApplyEnv(t.dataDir, stack, 25);
    const id = await killedMidApply(stack, env);

    // The resumed process waits for running applies as long as for its own Terraform commands.
    const resumed = await t.crew(['wait', id, '--json', '--timeout', '150'], { ...env, CREW_TF_TIMEOUT_SEC: '3' });
    expect(resumed.code, resumed.stderr).toBe(0);
    const out = jsonOf<{ state: string; failure?: string; rollback?: unknown }>(resumed);
    expect(out.state).toBe('FAILED');
    expect(out.rollback).toBeUndefined();
    const history = await t.plans().history(id);
    expect(history.at(-1)).toMatchObject({ from: 'APPLYING', to: 'FAILED', event: 'APPLY_IN_DOUBT' });
    expect(history.at(-1)?.reason).toMatch(
      /still running .* a human must check stack resume-in-doubt; nothing was rolled back/,
    );
    expect(history.some((h) => h.to === 'ROLLBACK')).toBe(false);

    // Rolling back would have raced it: the apply that was in flight completes on its own.
    await waitForSlowApply(slowApplyLog(t.dataDir, stack), ['started', 'finished'], 60_000);
    await expect
      .poll(() => stateAddresses(t.dataDir, stack), { timeout: 30_000 })
      .toContain('terraform_data.aws_vpc__main');
  });
});
