import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessPolicyStore } from '../../../src/store/access-policy-store.js';
import { jsonOf, makeCrewEnv, type CrewEnv } from '../../support/crew-env.js';
import { CREW_BIN } from '../../support/run-crew.js';

// A quorum of two from the operator's org policy YAML, through the CLI: `crew approve` records
// one approval and exits 0; the second person's approval applies the plan and reports DONE.
// The plan costs more than the policy's $1/month threshold, so each approval names its stack
// (step-up); the status carries the rollback preview of this first create.

let t: CrewEnv;
let worker: ResultPromise;

beforeAll(async () => {
  t = await makeCrewEnv();
  const policyFile = join(t.dataDir, 'org-policy.yaml');
  writeFileSync(policyFile, 'approvals:\n  required: 2\n  overMonthlyUsd: { amount: 1, required: 2 }\n');
  worker = execa('node', [CREW_BIN, 'worker'], {
    env: { ...t.env, CREW_LOG_LEVEL: 'silent', CREW_APPROVERS: 'bob,carol', CREW_POLICY_FILE: policyFile },
    reject: false,
  });
  const store = new AccessPolicyStore({ redis: t.redis.client() });
  const deadline = Date.now() + 60_000;
  while ((await store.read())?.source !== 'operator') {
    if (Date.now() > deadline) throw new Error('the worker did not publish the access policy within 60 s');
    await new Promise((r) => setTimeout(r, 100));
  }
});
afterAll(async () => {
  worker?.kill('SIGKILL');
  await Promise.allSettled([worker]);
  await t?.close();
});

describe('crew approve with a quorum of two', () => {
  it('records one approval (exit 0), refuses the same person twice, and applies on the second person', async () => {
    const planned = await t.crew([
      'plan',
      'private Ollama on spot g4dn.xlarge, stack quorum-one',
      '--as',
      'alice',
      '--json',
    ]);
    expect(planned.code, planned.stderr).toBe(0);
    const { id, planSha256 } = jsonOf<{ id: string; planSha256: string }>(planned);

    const bare = await t.crew(['approve', id, '--as', 'bob', '--sha', planSha256.slice(0, 12)]);
    expect(bare.code).toBe(3);
    expect(bare.stderr).toMatch(
      new RegExp(
        `refused: plan ${id} costs \\$[0-9.]+/month, over the \\$1/month threshold: confirm with --confirm quorum-one`,
      ),
    );
    const first = await t.crew([
      'approve',
      id,
      '--as',
      'bob',
      '--sha',
      planSha256.slice(0, 12),
      '--confirm',
      'quorum-one',
    ]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain(
      `approval recorded: 1 of 2 approvals of plan file sha256 ${planSha256.slice(0, 12)}`,
    );

    const status = await t.crew(['status', id, '--json']);
    expect(jsonOf(status)).toMatchObject({
      id,
      state: 'WAIT_FOR_APPROVE',
      approvalsRequired: 2,
      approvals: [{ by: 'bob', at: expect.any(String), planSha256 }],
      rollbackPreview: {
        toVersion: 0,
        monthlyUsd: 0,
        changes: { create: 0, update: 0, replace: 0, delete: expect.any(Number) },
        summary: expect.stringMatching(
          /^if you roll this back: destroys what this plan creates \([1-9][0-9]* to destroy\)/,
        ),
      },
    });

    const twice = await t.crew(['approve', id, '--as', 'bob', '--sha', planSha256.slice(0, 12)]);
    expect(twice.code).toBe(3);
    expect(twice.stderr).toContain(`bob already approved plan ${id}'s plan file`);

    const second = await t.crew([
      'approve',
      id,
      '--as',
      'carol',
      '--sha',
      planSha256.slice(0, 12),
      '--confirm',
      'quorum-one',
      '--json',
    ]);
    expect(second.code, second.stderr).toBe(0);
    expect(jsonOf(second)).toMatchObject({ id, state: 'DONE' });
    const after = jsonOf<{ approvals: Array<{ by: string }> }>(await t.crew(['status', id, '--json']));
    expect(after.approvals.map((a) => a.by)).toEqual(['bob', 'carol']);
  });
});
