import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessPolicyFromConfig } from '../../../src/access/access-policy.js';
import { AccessPolicyStore } from '../../../src/store/access-policy-store.js';
import { jsonOf, makeCrewEnv, type CrewEnv } from '../../support/crew-env.js';
import { makeDnsSpec } from '../../support/make-dns-spec.js';

// `crew policy check` and `crew policy explain`, as a person runs them.

const POLICY = `@id("approvers-decide")
permit (principal in Group::"approvers", action == Action::"approve", resource);

@id("contractors-not-on-aws")
forbid (principal in Group::"contractors", action == Action::"approve", resource)
when { resource.target == "aws" };
`;

let t: CrewEnv;
beforeAll(async () => {
  t = await makeCrewEnv();
});
afterAll(async () => {
  await t?.close();
});

describe('crew policy', () => {
  it('check: line-numbered errors and exit 1 for a bad file; "ok: N policies" and exit 0 for a good one', async () => {
    const bad = join(t.dataDir, 'bad.cedar');
    writeFileSync(
      bad,
      `@id("a")\npermit (principal in Group::"approvers", action == Action::"approve", resource);\n\n@id("b")\nforbid (principal in Team::"x", action == Action::"approve", resource)\nwhen { resource.cost > 5 };\n`,
    );
    const r = await t.crew(['policy', 'check', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${bad}: line 5, column 22: for policy "b", unrecognized entity type \`Team\``);
    expect(r.stderr).toContain(
      `${bad}: line 6, column 8: for policy "b", attribute \`cost\` on entity type \`Stack\` not found`,
    );
    const good = join(t.dataDir, 'good.cedar');
    writeFileSync(good, POLICY);
    const ok = await t.crew(['policy', 'check', good]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout.trim()).toBe('ok: 2 policies (approvers-decide, contractors-not-on-aws)');
  });

  it('explain: the published rules decide; the deciding policy and the facts it saw are printed', async () => {
    const redis = t.redis.client();
    await new AccessPolicyStore({ redis }).publish(
      accessPolicyFromConfig(
        {
          approvers: ['bob', 'dave'],
          allowSelfApproval: false,
          approvalTtlMs: 3_600_000,
          strictIdentity: false,
          identityMap: {},
          authz: { cedar: { text: POLICY, source: 'crew.cedar' }, groups: { contractors: ['dave'] } },
        },
        { setBy: 'crew worker', source: 'operator' },
      ),
    );
    const plans = t.plans();
    await plans.create({ id: 'p-explain1', goal: 'g', requestedBy: 'alice', stack: 'gpu' });
    await plans.advance('p-explain1', 'PLAN_SPEC', 'atlas', 'spec', {
      spec: { ...makeDnsSpec(), target: 'aws', stack: 'gpu' },
    });
    const deny = await t.crew(['policy', 'explain', '--as', 'Dave', '--action', 'approve', 'p-explain1']);
    expect(deny.code, deny.stderr).toBe(3);
    expect(deny.stdout).toContain('deny: Dave approve plan p-explain1');
    expect(deny.stdout).toContain('engine: cedar (crew.cedar)');
    expect(deny.stdout).toContain('deciding policies: contractors-not-on-aws');
    expect(deny.stdout).toContain('principal: Person::"dave" in Group::"approvers", Group::"contractors"');
    expect(deny.stdout).toContain('resource: Stack::"gpu" target=aws blueprint=dns-record');
    const allow = await t.crew(['policy', 'explain', '--as', 'bob', '--action', 'approve', 'p-explain1', '--json']);
    expect(allow.code, allow.stderr).toBe(0);
    expect(jsonOf(allow)).toMatchObject({
      allowed: true,
      policies: ['approvers-decide'],
      input: { principal: { id: 'bob' } },
    });
    // Explaining records nothing.
    expect(await plans.policyDecisions('p-explain1')).toEqual([]);
  });

  it('crew approve obeys the same published policy: a contractor is refused on aws, naming the policy', async () => {
    const plans = t.plans();
    const sha = 'e'.repeat(64);
    await plans.create({ id: 'p-approve1', goal: 'g', requestedBy: 'alice', stack: 'gpu2' });
    await plans.advance('p-approve1', 'PLAN_SPEC', 'atlas', 'spec', {
      spec: { ...makeDnsSpec(), target: 'aws', stack: 'gpu2' },
    });
    await plans.advance('p-approve1', 'FORGE_ACK', 'forge', 'ack');
    await plans.advance('p-approve1', 'PLAN_READY', 'forge', 'planned', {
      planSha256: sha,
      planFile: { path: '/nonexistent/p-approve1.tfplan', sha256: sha },
      summary: { create: 1, update: 0, replace: 0, delete: 0, noop: 0 },
    });
    await plans.advance('p-approve1', 'VALIDATION_PASS', 'sentinel', 'pass');
    await plans.advance('p-approve1', 'REVIEW_POSTED', 'conductor', 'review');
    const r = await t.crew(['approve', 'p-approve1', '--as', 'Dave']);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain('may not approve plan p-approve1: denied by policy contractors-not-on-aws');
    expect((await plans.get('p-approve1'))?.state).toBe('WAIT_FOR_APPROVE');
    expect((await plans.auditLog('p-approve1')).some((a) => a.refusal?.includes('contractors-not-on-aws'))).toBe(true);
  });
});
