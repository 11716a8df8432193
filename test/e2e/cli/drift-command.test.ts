import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackLockKey } from '../../../src/redis/keys.js';
import { jsonOf, makeCrewEnv, type CrewEnv } from '../../support/crew-env.js';
import { editSandboxState } from '../../support/sandbox-state-edit.js';
import { waitFor } from '../../support/wait-for.js';

// `crew drift` as a user runs it: the real CLI, real terraform on the sandbox target, a
// private redis. Exit codes say clean (0) or drift (2); `crew drift revert|adopt` exit like
// `crew plan`; a drift check killed with SIGKILL leaves its lease on the stack only until it
// lapses (CREW_DRIFT_LEASE_SEC).

const STACK = 'drift-cli';
let t: CrewEnv;
beforeAll(async () => {
  t = await makeCrewEnv({ CREW_APPROVERS: 'bob', CREW_DRIFT_LEASE_SEC: '3' });
  const planned = await t.crew([
    'plan',
    `private Ollama on spot g4dn.xlarge, stack ${STACK}`,
    '--as',
    'alice',
    '--json',
  ]);
  if (planned.code !== 0) throw new Error(planned.stderr);
  const approved = await t.crew(['approve', jsonOf<{ id: string }>(planned).id, '--as', 'bob', '--json']);
  if (approved.code !== 0) throw new Error(approved.stderr);
}, 400_000);
afterAll(async () => t?.close());

interface RunOut {
  runId: string;
  stacks: Array<{ stack: string; status: string; drift: Array<{ address: string; attribute: string }> }>;
}

describe('crew drift', () => {
  it('exits 0 on a clean stack and says so; 2 with each drifted attribute after a change behind its back', async () => {
    const clean = await t.crew(['drift']);
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.stdout).toContain(`${STACK}: no drift`);
    expect(clean.stdout).toContain('clean: no drift in 1 stack');

    await editSandboxState(t.dataDir, STACK, 'aws_launch_template__ollama', (input) => {
      input.image_id = 'ami-0123456789abcdef0';
    });
    const drifted = await t.crew(['drift', STACK, '--json']);
    expect(drifted.code, drifted.stderr).toBe(2);
    const run = jsonOf<RunOut>(drifted);
    expect(run.stacks[0]?.drift).toEqual([
      expect.objectContaining({
        address: 'aws_launch_template.ollama',
        attribute: 'image_id',
        actual: 'ami-0123456789abcdef0',
      }),
    ]);
    const text = await t.crew(['drift', STACK]);
    expect(text.stdout).toContain(`${STACK} aws_launch_template.ollama image_id: "resolve:ssm:`);
    expect(text.stdout).toContain('→ "ami-0123456789abcdef0"');
  }, 400_000);

  it('refuses an unknown stack and a snooze by a non-approver, changing nothing', async () => {
    const r = await t.crew(['drift', 'nope-stack']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('no applied stack named "nope-stack"');
    const s = await t.crew(['drift', 'snooze', STACK, '--until', '2099-01-01', '--as', 'alice']);
    expect(s.code).toBe(3);
    expect(s.stderr).toContain('alice is not an approver');
  }, 400_000);

  it('adopt explains what cannot be adopted (exit 3); revert plans the approved spec back and waits for its review (exit 0)', async () => {
    const adopt = await t.crew(['drift', 'adopt', STACK, '--as', 'alice']);
    expect(adopt.code, adopt.stderr).toBe(3);
    expect(adopt.stderr).toContain('no aws-spot-ollama spec param maps to aws_launch_template.image_id');
    const revert = await t.crew(['drift', 'revert', STACK, '--as', 'alice', '--json']);
    expect(revert.code, revert.stderr).toBe(0);
    const plan = jsonOf<{ id: string; state: string; requestedBy: string; summary: { update: number } }>(revert);
    expect(plan).toMatchObject({ state: 'WAIT_FOR_APPROVE', requestedBy: 'alice' });
    expect(plan.summary.update).toBeGreaterThan(0);
    // The stack is free again for what follows: the revert is rejected, never applied.
    const rejected = await t.crew(['reject', plan.id, '--as', 'bob', '--json']);
    expect(rejected.code, rejected.stderr).toBe(0);
  }, 400_000);

  it('a drift check killed with SIGKILL holds the stack only until its lease lapses; then plans and checks go on', async () => {
    const killed = await t.crew(['drift', STACK], { CREW_FAULT_KILL_AT: 'DRIFT_CHECK' });
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    const redis = t.redis.client();
    try {
      const key = stackLockKey('crew', STACK);
      expect(await redis.get(key)).toMatch(/^drift:d-/);
      expect(await redis.pttl(key)).toBeLessThanOrEqual(3000);
      await waitFor(async () => (await redis.exists(key)) === 0, { timeoutMs: 10_000, what: 'the lease to lapse' });
    } finally {
      redis.disconnect();
    }
    const again = await t.crew(['drift', STACK]);
    expect(again.code, again.stderr).toBe(2);
    const planned = await t.crew([
      'plan',
      `private Ollama on spot g5.xlarge, stack ${STACK}`,
      '--as',
      'alice',
      '--json',
    ]);
    expect(planned.code, planned.stderr).toBe(0);
    expect(jsonOf<{ state: string }>(planned).state).toBe('WAIT_FOR_APPROVE');
  }, 400_000);
});
