import { userInfo } from 'node:os';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessPolicyStore } from '../../../src/store/access-policy-store.js';
import { jsonOf, makeCrewEnv, type CrewEnv } from '../../support/crew-env.js';
import { CREW_BIN } from '../../support/run-crew.js';

// The crew's access rules are one thing: published by the operator's processes, enforced by
// every Conductor and every surface, and never widened by a client's environment.

const OS_USER = userInfo().username;
const envs: CrewEnv[] = [];
const workers: ResultPromise[] = [];

/** A crew whose operator runs `crew worker` with `operatorEnv`; clients get none of it. */
async function crewWithOperator(operatorEnv: Record<string, string>): Promise<CrewEnv> {
  const t = await makeCrewEnv();
  envs.push(t);
  const worker = execa('node', [CREW_BIN, 'worker'], {
    env: { ...t.env, CREW_LOG_LEVEL: 'silent', ...operatorEnv },
    reject: false,
  });
  workers.push(worker);
  const store = new AccessPolicyStore({ redis: t.redis.client() });
  const deadline = Date.now() + 30_000;
  while ((await store.read())?.source !== 'operator') {
    if (Date.now() > deadline) throw new Error('the worker did not publish the access policy within 30 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  return t;
}

async function planFor(t: CrewEnv, stack: string, as = 'alice'): Promise<{ id: string; planSha256: string }> {
  const r = await t.crew(['plan', `private Ollama on spot g4dn.xlarge, stack ${stack}`, '--as', as, '--json']);
  if (r.code !== 0) throw new Error(`plan failed (exit ${r.code}): ${r.stderr}`);
  return jsonOf<{ id: string; planSha256: string }>(r);
}

afterAll(async () => {
  for (const w of workers) w.kill('SIGKILL');
  await Promise.allSettled(workers);
  for (const t of envs) await t.close();
});

describe('approval rules belong to the crew, not to the client', () => {
  let t: CrewEnv;
  beforeAll(async () => {
    t = await crewWithOperator({ CREW_APPROVERS: 'bob' });
  });

  it('a client without CREW_APPROVERS cannot approve as a non-approver, however often it tries', async () => {
    const { id } = await planFor(t, 'acl-one');
    for (let i = 0; i < 5; i++) {
      const r = await t.crew(['approve', id, '--as', 'carol']);
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toContain('carol is not an approver (approvers: bob)');
    }
    expect((await t.plans().get(id))?.state).toBe('WAIT_FOR_APPROVE');
  });

  it("a client's own CREW_APPROVERS or CREW_ALLOW_SELF_APPROVAL is refused and reported, never used", async () => {
    const { id } = await planFor(t, 'acl-two');
    const widened = await t.crew(['approve', id, '--as', 'carol'], { CREW_APPROVERS: 'carol' });
    expect(widened.code).toBe(3);
    expect(widened.stderr).toContain(
      "note: this crew's access rules are set where it runs, not by this terminal; CREW_APPROVERS here is not used",
    );
    expect(widened.stderr).toContain('approvers bob (yours: carol)');
    expect(widened.stderr).toContain('carol is not an approver (approvers: bob)');
    const self = await t.crew(['approve', id, '--as', 'alice'], { CREW_ALLOW_SELF_APPROVAL: '1' });
    expect(self.code).toBe(3);
    expect(self.stderr).toContain('a different person must approve it (four-eyes rule)');
    const plan = await t.plans().get(id);
    expect(plan?.state).toBe('WAIT_FOR_APPROVE');
    expect((await t.plans().history(id)).some((h) => h.to === 'APPLYING')).toBe(false);
  });

  it('crew rollback checks who asks: a stranger is refused and audited, the requester may', async () => {
    const { id } = await planFor(t, 'acl-three');
    const approved = await t.crew(['approve', id, '--as', 'bob']);
    expect(approved.code, approved.stderr).toBe(0);
    const stranger = await t.crew(['rollback', id, '--as', 'mallory']);
    expect(stranger.code).toBe(3);
    expect(stranger.stderr).toContain(
      `mallory may not roll back plan ${id}: only its requester (alice) or an approver (bob) may`,
    );
    expect((await t.plans().get(id))?.state).toBe('DONE');
    expect((await t.plans().auditLog(id)).some((a) => a.by === 'mallory' && a.action === 'rollback')).toBe(true);
    const unlock = await t.crew(['unlock', 'acl-three', '--as', 'mallory']);
    expect(unlock.code).toBe(3);
    expect(unlock.stderr).toContain('mallory is not an approver; only approvers (bob) may unlock stacks');
    const requester = await t.crew(['rollback', id, '--as', 'alice']);
    expect(requester.code, requester.stderr).toBe(0);
    expect((await t.plans().get(id))?.state).toBe('ROLLED_BACK');
  });
});

describe('strict identity and the identity map belong to the crew', () => {
  let t: CrewEnv;
  beforeAll(async () => {
    t = await crewWithOperator({ CREW_STRICT_IDENTITY: '1', CREW_IDENTITY_MAP: `${OS_USER}=U0SELF` });
  });

  it('a client without the setting still cannot impersonate', async () => {
    const r = await t.crew(['plan', 'private Ollama on spot g4dn.xlarge, stack strict-one', '--as', 'bob']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(
      `refused: strict identity: you are U0SELF (OS user ${OS_USER}); --as bob cannot act for someone else`,
    );
  });

  it('a client cannot remap itself with its own CREW_IDENTITY_MAP or turn strict identity off', async () => {
    const { id } = await planFor(t, 'strict-two', 'U0SELF');
    expect((await t.plans().get(id))?.requestedBy).toBe('U0SELF');
    const remapped = await t.crew(['approve', id], {
      CREW_IDENTITY_MAP: `${OS_USER}=U0OTHER`,
      CREW_STRICT_IDENTITY: '0',
    });
    expect(remapped.code).toBe(3);
    expect(remapped.stderr).toContain('CREW_STRICT_IDENTITY, CREW_IDENTITY_MAP here are not used');
    expect(remapped.stderr).toContain('U0SELF requested plan');
    expect((await t.plans().get(id))?.state).toBe('WAIT_FOR_APPROVE');
  });
});

describe('identities are compared as one spelling per person', () => {
  let t: CrewEnv;
  let id: string;
  beforeAll(async () => {
    t = await makeCrewEnv();
    envs.push(t);
    ({ id } = await planFor(t, 'respell'));
  });

  it('a respelled requester cannot approve their own plan', async () => {
    for (const as of ['alice ', 'Alice', 'ＡＬＩＣＥ', '\talice']) {
      const r = await t.crew(['approve', id, '--as', as]);
      expect(r.code, JSON.stringify(as)).toBe(3);
      expect(r.stderr).toContain('a different person must approve it (four-eyes rule)');
    }
    expect((await t.plans().get(id))?.state).toBe('WAIT_FOR_APPROVE');
  });

  it('a blank or invisible identity is refused as bad input', async () => {
    for (const [as, message] of [
      [' ', 'the --as identity is empty'],
      ['', 'the --as identity is empty'],
      ['bo\u200bb', 'control or invisible characters'],
    ] as const) {
      const r = await t.crew(['approve', id, '--as', as]);
      expect(r.code, JSON.stringify(as)).toBe(1);
      expect(r.stderr).toContain(message);
    }
    expect((await t.plans().get(id))?.state).toBe('WAIT_FOR_APPROVE');
  });
});

describe('approvals bind to the plan file that was reviewed', () => {
  let t: CrewEnv;
  beforeAll(async () => {
    t = await makeCrewEnv();
    envs.push(t);
  });

  it('--sha refuses another plan file, accepts the reviewed one, and an approval without it says which file it took', async () => {
    const { id, planSha256 } = await planFor(t, 'sha-one');
    const wrong = await t.crew(['approve', id, '--as', 'bob', '--sha', '0000000']);
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toContain(
      `you reviewed plan file sha256 0000000, but plan ${id} is WAIT_FOR_APPROVE with plan file ${planSha256.slice(0, 12)}`,
    );
    const junk = await t.crew(['approve', id, '--as', 'bob', '--sha', 'xyz']);
    expect(junk.code).toBe(1);
    expect(junk.stderr).toContain('"xyz" is not a plan file sha256');
    expect((await t.plans().get(id))?.state).toBe('WAIT_FOR_APPROVE');
    const right = await t.crew(['approve', id, '--as', 'bob', '--sha', planSha256.slice(0, 12)]);
    expect(right.code, right.stderr).toBe(0);
    expect(right.stderr).not.toContain('the current one');
    const decided = (await t.plans().history(id)).find((h) => h.to === 'APPLYING');
    expect(decided?.reason).toContain(planSha256.slice(0, 12));

    const other = await planFor(t, 'sha-two');
    const unbound = await t.crew(['approve', other.id, '--as', 'bob']);
    expect(unbound.code, unbound.stderr).toBe(0);
    expect(unbound.stderr).toContain(`approving plan file sha256 ${other.planSha256.slice(0, 12)}, the current one`);
  });
});

describe('racing decisions each report what actually happened', () => {
  let t: CrewEnv;
  beforeAll(async () => {
    t = await makeCrewEnv();
    envs.push(t);
  });

  it('two approvers at once: one applies, the other is told who approved first', async () => {
    const { id } = await planFor(t, 'race-one');
    const [bob, carol] = await Promise.all([
      t.crew(['approve', id, '--as', 'bob']),
      t.crew(['approve', id, '--as', 'carol']),
    ]);
    const results = [bob, carol].map((r) => r.code).sort();
    expect(results, `${bob.stderr}\n${carol.stderr}`).toEqual([0, 3]);
    const loser = bob.code === 3 ? bob : carol;
    const winner = bob.code === 0 ? 'bob' : 'carol';
    expect(loser.stderr).toMatch(
      new RegExp(
        `refused: plan ${id} is (APPLYING|DONE): only a plan waiting for approval can be approved; ${winner} approved it first`,
      ),
    );
    expect(loser.stderr).not.toContain('applying…');
    expect((await t.plans().history(id)).filter((h) => h.to === 'APPLYING')).toHaveLength(1);
  });

  it('an approval and a rejection at once: the loser exits 3 at once with the winner named', async () => {
    const { id } = await planFor(t, 'race-two');
    const [approve, reject] = await Promise.all([
      t.crew(['approve', id, '--as', 'bob']),
      t.crew(['reject', id, '--as', 'carol', '--reason', 'no']),
    ]);
    const state = (await t.plans().get(id))?.state;
    if (state === 'REJECTED') {
      expect(reject.code, reject.stderr).toBe(0);
      expect(approve.code).toBe(3);
      expect(approve.stderr).toContain('carol rejected it first');
    } else {
      expect(state).toBe('DONE');
      expect(approve.code, approve.stderr).toBe(0);
      expect(reject.code, reject.stderr).toBe(3);
      expect(reject.stderr).toContain('bob approved it first');
    }
  });
});
