import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlanSpec, ValidationResult } from '../../../contracts/index.js';
import { makeArtifact } from '../../../src/bus/artifact-bus.js';
import { readConfig } from '../../../src/config/read-config.js';
import { createLogger } from '../../../src/log/create-logger.js';
import { startCrew, type CrewRuntime } from '../../../src/runtime/start-crew.js';
import { makeDnsSpec } from '../../support/make-dns-spec.js';
import { startRedis, type TestRedis } from '../../support/redis-server.js';
import { waitFor } from '../../support/wait-for.js';

// Who may do what, as policy, through PlanOperations (what the CLI, Slack and the API call) and
// the Conductor, on a real Redis: a Cedar file that forbids contractors approving on aws, and
// OPA's Data API answered by a local stand-in.

const SHA = 'a'.repeat(64);
const POLICY = `@id("approvers-decide")
permit (principal in Group::"approvers", action in [Action::"approve", Action::"reject"], resource);

@id("four-eyes")
forbid (principal, action == Action::"approve", resource)
when { resource has requestedBy && principal == resource.requestedBy };

// Contractors approve lab work, never anything on AWS.
@id("contractors-not-on-aws")
forbid (principal in Group::"contractors", action == Action::"approve", resource)
when { resource.target == "aws" };

@id("rollback-approvers")
permit (principal in Group::"approvers", action == Action::"rollback", resource);
`;

let server: TestRedis;
let dataDir: string;
const crews: CrewRuntime[] = [];

beforeAll(async () => {
  server = await startRedis({ aof: false });
  dataDir = mkdtempSync(join(tmpdir(), 'crew-authz-'));
});
afterAll(async () => {
  for (const c of crews) await c.close();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

function crewWith(env: Record<string, string>): { crew: CrewRuntime; redis: Redis } {
  const redis = server.client();
  const crew = startCrew({
    config: readConfig({ CREW_DATA_DIR: dataDir, CREW_APPROVERS: 'bob,carol,dave', ...env }, dataDir),
    logger: createLogger({ level: 'silent' }),
    redis,
    prefix: `t${randomBytes(4).toString('hex')}`,
    roles: ['conductor'],
  });
  crews.push(crew);
  return { crew, redis };
}

function validation(): ValidationResult {
  return {
    verdict: 'PASS',
    findings: [],
    cost: { monthlyUsd: 120, previousMonthlyUsd: 0, diffMonthlyUsd: 120, resources: [], unpriced: [] },
    budget: { monthlyUsd: null, spentUsd: 0, forecastUsd: 0, ratio: null, brakeRatio: 0.8, brake: false },
    planSha256: SHA,
  };
}

/** A plan through Forge's plan and Sentinel's PASS to its review, on the given target. */
async function reviewedPlan(crew: CrewRuntime, target: PlanSpec['target']): Promise<string> {
  const id = `p-${randomBytes(4).toString('hex')}`;
  const stack = `s-${id}`;
  await crew.plans.create({ id, goal: 'g', requestedBy: 'alice', stack });
  expect(await crew.lock.acquire(stack, id, async () => false)).toEqual({ ok: true });
  await crew.plans.advance(id, 'PLAN_SPEC', 'atlas', 'spec', { spec: { ...makeDnsSpec(), target, stack } });
  await crew.plans.advance(id, 'FORGE_ACK', 'forge', 'ack');
  await crew.plans.advance(id, 'PLAN_READY', 'forge', 'planned', {
    planSha256: SHA,
    planFile: { path: `/plans/${id}.tfplan`, sha256: SHA },
    summary: { create: 1, update: 0, replace: 0, delete: 0, noop: 0 },
  });
  await crew.bus.publish(
    'validate.result',
    makeArtifact('ValidationResult', id, validation(), { producer: 'sentinel', cause: `v:${id}` }),
  );
  await waitFor(async () => (await crew.plans.get(id))?.state === 'WAIT_FOR_APPROVE', { what: `${id} in review` });
  return id;
}

async function approve(crew: CrewRuntime, id: string, by: string) {
  const r = await crew.ops.decide(id, 'approve', by, 'cli', { sha: SHA });
  if (!r.ok) return r;
  return { ok: true as const, outcome: await waitFor(() => crew.plans.decisionOutcome(id, r.value.decisionId)) };
}

describe('a Cedar policy file (CREW_AUTHZ_POLICY)', () => {
  let crew: CrewRuntime;
  beforeAll(() => {
    const file = join(dataDir, 'crew.cedar');
    writeFileSync(file, POLICY);
    ({ crew } = crewWith({ CREW_AUTHZ_POLICY: file, CREW_AUTHZ_GROUPS: 'contractors:Dave' }));
  });

  it('refuses a contractor approving a plan on aws, naming the policy in the refusal and the audit; an employee approves it', async () => {
    const id = await reviewedPlan(crew, 'aws');
    const denied = await approve(crew, id, 'DAVE');
    expect(denied).toMatchObject({ ok: false, code: 'refused' });
    expect(!denied.ok && denied.refusal).toBe(
      `DAVE may not approve plan ${id}: denied by policy contractors-not-on-aws (Cedar policy ${join(dataDir, 'crew.cedar')})`,
    );
    expect(await crew.plans.auditLog(id)).toEqual([
      expect.objectContaining({
        by: 'DAVE',
        action: 'approve',
        refusal: expect.stringContaining('contractors-not-on-aws'),
      }),
    ]);
    expect(await crew.plans.approvals(id)).toEqual([]);
    expect((await crew.plans.get(id))?.state).toBe('WAIT_FOR_APPROVE');
    expect(await approve(crew, id, 'carol')).toMatchObject({ ok: true, outcome: { accepted: true } });
    await waitFor(async () => (await crew.plans.get(id))?.state === 'APPLYING');
    // Every decision, allowed or not: the surface's and the Conductor's.
    expect(
      (await crew.plans.policyDecisions(id)).map((d) => [d.by, d.action, d.decision, d.engine, d.policies]),
    ).toEqual([
      ['DAVE', 'approve', 'deny', 'cedar', ['contractors-not-on-aws']],
      ['carol', 'approve', 'allow', 'cedar', ['approvers-decide']],
      ['carol', 'approve', 'allow', 'cedar', ['approvers-decide']],
    ]);
  });

  it('lets the same contractor approve off aws', async () => {
    const id = await reviewedPlan(crew, 'sandbox');
    expect(await approve(crew, id, 'dave')).toMatchObject({ ok: true, outcome: { accepted: true } });
  });

  it('is enforced by the Conductor too: a decision put on the bus directly is refused with the policy id', async () => {
    const id = await reviewedPlan(crew, 'aws');
    const artifact = makeArtifact(
      'ApprovalDecision',
      id,
      { decision: 'approve', by: 'dave', planSha256: SHA },
      { producer: 'cli', cause: `c:${id}` },
    );
    await crew.bus.publish('approval.decision', artifact);
    const outcome = await waitFor(() => crew.plans.decisionOutcome(id, artifact.id));
    expect(outcome).toMatchObject({ accepted: false, refusal: expect.stringContaining('contractors-not-on-aws') });
    expect((await crew.plans.get(id))?.state).toBe('WAIT_FOR_APPROVE');
  });

  it('denies what no policy permits (here: unlocking), with the reason', async () => {
    const r = await crew.ops.unlock('some-stack', 'bob');
    expect(r).toMatchObject({ ok: false, code: 'refused' });
    expect(!r.ok && r.refusal).toContain('bob may not unlock stack some-stack: no policy permits it');
  });
});

type OpaInput = { principal: { id: string } } & Record<string, unknown>;

/** OPA's Data API: POST /v1/data/<path> {"input": …} → {"result": …}; `answer` decides. */
async function opaStandIn(answer: (input: OpaInput) => unknown) {
  const seen: Array<{ path: string; input: OpaInput }> = [];
  const readBody = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  };
  const http: Server = createServer((req, res) => {
    void readBody(req).then((text) => {
      const { input } = JSON.parse(text) as { input: OpaInput };
      seen.push({ path: req.url ?? '', input });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(answer(input)));
    });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/v1/data/crew/authz`;
  return { url, seen, close: () => new Promise<void>((r) => http.close(() => r())) };
}

describe("OPA's Data API (CREW_OPA_URL)", () => {
  it('allows and denies as OPA answers, with the input every engine gets', async () => {
    const opa = await opaStandIn((input) =>
      input.principal.id === 'carol'
        ? { result: { allow: true, reasons: ['sre-approves'] } }
        : input.principal.id === 'bob'
          ? { result: false }
          : {},
    );
    try {
      const { crew } = crewWith({ CREW_OPA_URL: opa.url });
      const id = await reviewedPlan(crew, 'aws');
      const bob = await approve(crew, id, 'bob');
      expect(!bob.ok && bob.refusal).toBe(`bob may not approve plan ${id}: denied by OPA policy opa:crew/authz`);
      // No result (an undefined decision) is a deny too.
      const dave = await approve(crew, id, 'dave');
      expect(dave).toMatchObject({ ok: false, code: 'refused' });
      expect(await approve(crew, id, 'carol')).toMatchObject({ ok: true, outcome: { accepted: true } });
      expect(opa.seen[0]).toMatchObject({
        path: '/v1/data/crew/authz',
        input: {
          principal: { id: 'bob', groups: ['approvers'] },
          requester: { id: 'alice' },
          action: 'approve',
          resource: { id: `s-${id}`, attributes: { target: 'aws', monthlyUsd: 120, requestedBy: 'alice' } },
          context: { allowSelfApproval: false, approversListed: true },
        },
      });
      expect((await crew.plans.policyDecisions(id)).map((d) => [d.by, d.decision, d.policies])).toEqual([
        ['bob', 'deny', ['opa:crew/authz']],
        ['dave', 'deny', ['opa:crew/authz']],
        ['carol', 'allow', ['sre-approves']],
        ['carol', 'allow', ['sre-approves']],
      ]);
    } finally {
      await opa.close();
    }
  });

  it('unreachable: every decision is denied (fail closed) and the refusal says so', async () => {
    const opa = await opaStandIn(() => ({ result: true }));
    await opa.close();
    const { crew } = crewWith({ CREW_OPA_URL: opa.url });
    const id = await reviewedPlan(crew, 'sandbox');
    const r = await approve(crew, id, 'carol');
    expect(r).toMatchObject({ ok: false, code: 'refused' });
    expect(!r.ok && r.refusal).toMatch(
      new RegExp(
        `^carol may not approve plan ${id}: OPA at .* did not answer \\(ECONNREFUSED\\); every decision is denied until it does \\(fail closed\\)$`,
      ),
    );
    expect((await crew.plans.auditLog(id))[0]?.refusal).toContain('fail closed');
    const rollback = await crew.ops.requestRollback(id, 'carol');
    expect(!rollback.ok && rollback.refusal).toContain('fail closed');
  });
});
