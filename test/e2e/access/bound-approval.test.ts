import { userInfo } from 'node:os';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessPolicyStore } from '../../../src/store/access-policy-store.js';
import { jsonOf, makeCrewEnv, type CrewEnv } from '../../support/crew-env.js';
import { CREW_BIN } from '../../support/run-crew.js';

// `crew approve` binds to the plan file the person reviewed: under the crew's strict identity
// rule `--sha` is required; a stale one is refused and the current plan is shown to review.

const OS_USER = userInfo().username;
let t: CrewEnv;
let worker: ResultPromise;

beforeAll(async () => {
  t = await makeCrewEnv();
  worker = execa('node', [CREW_BIN, 'worker'], {
    env: {
      ...t.env,
      CREW_LOG_LEVEL: 'silent',
      CREW_STRICT_IDENTITY: '1',
      CREW_IDENTITY_MAP: `${OS_USER}=U0BOB`,
      // One OS user here: it may approve its own plan, so the binding is what is tested.
      CREW_ALLOW_SELF_APPROVAL: '1',
    },
    reject: false,
  });
  const store = new AccessPolicyStore({ redis: t.redis.client() });
  const deadline = Date.now() + 30_000;
  while ((await store.read())?.source !== 'operator') {
    if (Date.now() > deadline) throw new Error('the worker did not publish the access policy within 30 s');
    await new Promise((r) => setTimeout(r, 100));
  }
});
afterAll(async () => {
  worker?.kill('SIGKILL');
  await Promise.allSettled([worker]);
  await t?.close();
});

describe('crew approve under strict identity', () => {
  it('requires --sha, refuses a stale one showing the current plan, and applies the reviewed one', async () => {
    const planned = await t.crew(['plan', 'private Ollama on spot g4dn.xlarge, stack bound-one', '--json']);
    expect(planned.code, planned.stderr).toBe(0);
    const { id } = jsonOf<{ id: string }>(planned);
    const plan = await t.plans().get(id);
    expect(plan?.requestedBy).toBe('U0BOB');
    const sha = plan!.planSha256!;

    const unbound = await t.crew(['approve', id]);
    expect(unbound.code).toBe(3);
    expect(unbound.stderr).toContain(`refused: strict identity: name the plan file you reviewed (--sha <prefix>)`);
    expect(unbound.stdout).toContain(`plan file: sha256 ${sha}`);

    const stale = await t.crew(['approve', id, '--sha', 'abcdef0']);
    expect(stale.code).toBe(3);
    expect(stale.stderr).toContain(
      `refused: you reviewed plan file sha256 abcdef0, but plan ${id} is WAIT_FOR_APPROVE with plan file ${sha.slice(0, 12)}`,
    );
    expect(stale.stdout).toContain(`plan ${id}  WAIT_FOR_APPROVE`);
    expect(stale.stdout).toContain(`crew approve ${id} --sha ${sha.slice(0, 12)}`);
    expect((await t.plans().get(id))?.state).toBe('WAIT_FOR_APPROVE');
    const refusals = (await t.plans().auditLog(id)).map((a) => a.refusal);
    expect(refusals).toEqual([expect.stringContaining('strict identity'), expect.stringContaining('older plan file')]);

    const bound = await t.crew(['approve', id, '--sha', sha.slice(0, 12), '--json']);
    expect(bound.code, bound.stderr).toBe(0);
    expect(jsonOf(bound)).toMatchObject({ id, state: 'DONE', planSha256: sha });
  });
});
