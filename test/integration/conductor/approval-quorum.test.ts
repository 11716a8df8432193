import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlanSpec, ValidationResult } from '../../../contracts/index.js';
import { makeArtifact } from '../../../src/bus/artifact-bus.js';
import { readConfig } from '../../../src/config/read-config.js';
import { createLogger } from '../../../src/log/create-logger.js';
import type { PlanState } from '../../../src/plan/plan-states.js';
import { streamKey } from '../../../src/redis/keys.js';
import { startCrew, type CrewRuntime } from '../../../src/runtime/start-crew.js';
import { makeDnsSpec } from '../../support/make-dns-spec.js';
import { startRedis, type TestRedis } from '../../support/redis-server.js';
import { waitFor } from '../../support/wait-for.js';

// Approval quorums by risk and auto-approval, on a real Conductor over a real Redis: the test
// plays Atlas, Forge and Sentinel by writing their results, and decides through PlanOperations.

let server: TestRedis;
let redis: Redis;
let dataDir: string;
let crew: CrewRuntime;
const prefix = `t${randomBytes(4).toString('hex')}`;
const sha = (c: string) => c.repeat(64);

beforeAll(async () => {
  server = await startRedis({ aof: false });
  redis = server.client();
  dataDir = mkdtempSync(join(tmpdir(), 'crew-quorum-'));
  const config = readConfig({ CREW_DATA_DIR: dataDir, CREW_APPROVERS: 'bob,carol,dave' });
  crew = startCrew({
    config,
    logger: createLogger({ level: 'silent' }),
    redis,
    prefix,
    roles: ['conductor'],
    policy: {
      approvals: { required: 1, destructive: 2, overMonthlyUsd: { amount: 500, required: 3 } },
      autoApprove: [{ id: 'lab-dns-add', blueprint: 'dns-record', zone: 'lab.internal', action: 'add' }],
    },
  });
});
afterAll(async () => {
  await crew?.close();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

function validation(monthlyUsd: number, planSha256: string): ValidationResult {
  return {
    verdict: 'PASS',
    findings: [],
    cost: { monthlyUsd, previousMonthlyUsd: 0, diffMonthlyUsd: monthlyUsd, resources: [], unpriced: [] },
    budget: { monthlyUsd: null, spentUsd: 0, forecastUsd: 0, ratio: null, brakeRatio: 0.8, brake: false },
    planSha256,
  };
}

/** A plan through Forge's plan and Sentinel's PASS to its review, as the pipeline takes it. */
async function reviewedPlan(
  spec: PlanSpec,
  summary: { create: number; update: number; replace: number; delete: number },
  opts: { monthlyUsd?: number; planSha256?: string } = {},
): Promise<string> {
  const id = `p-${randomBytes(4).toString('hex')}`;
  const stack = `s-${id}`;
  const planSha256 = opts.planSha256 ?? sha('a');
  await crew.plans.create({ id, goal: 'g', requestedBy: 'alice', stack });
  expect(await crew.lock.acquire(stack, id, async () => false)).toEqual({ ok: true });
  await crew.plans.advance(id, 'PLAN_SPEC', 'atlas', 'spec', { spec: { ...spec, stack } });
  await crew.plans.advance(id, 'FORGE_ACK', 'forge', 'ack');
  await crew.plans.advance(id, 'PLAN_READY', 'forge', 'planned', {
    planSha256,
    planFile: { path: `/plans/${id}.tfplan`, sha256: planSha256 },
    summary: { ...summary, noop: 0 },
  });
  await crew.bus.publish(
    'validate.result',
    makeArtifact('ValidationResult', id, validation(opts.monthlyUsd ?? 0, planSha256), {
      producer: 'sentinel',
      cause: `v:${id}:${planSha256}`,
    }),
  );
  return id;
}

const stateOf = (id: string, states: PlanState[]) =>
  waitFor(async () => {
    const p = await crew.plans.get(id);
    return p && states.includes(p.state) ? p : undefined;
  });

const appliesOf = async (id: string) =>
  (await redis.xrange(streamKey(prefix, 'apply.request'), '-', '+')).filter(([, f]) => f.join(' ').includes(id));

// A risky plan's approval names its stack (step-up); reviewedPlan's stack is `s-<id>`.
async function approve(id: string, by: string, planSha256: string, confirm?: string) {
  const r = await crew.ops.decide(id, 'approve', by, 'cli', {
    sha: planSha256,
    ...(confirm !== undefined ? { confirm } : {}),
  });
  if (!r.ok) return r;
  return { ok: true as const, outcome: await waitFor(() => crew.plans.decisionOutcome(id, r.value.decisionId)) };
}

describe('approval quorums by risk', () => {
  it('a destructive plan needs two people: one leaves it waiting, the same one twice is refused, a second applies it once', async () => {
    const id = await reviewedPlan(makeDnsSpec({ zone: 'corp.example', action: 'remove' }), {
      create: 0,
      update: 0,
      replace: 0,
      delete: 1,
    });
    const waiting = await stateOf(id, ['WAIT_FOR_APPROVE']);
    expect(waiting.approvalsRequired).toBe(2);
    const first = await approve(id, 'bob', sha('a'), `s-${id}`);
    expect(first).toMatchObject({ ok: true, outcome: { accepted: true, quorum: { have: 1, need: 2 } } });
    expect((await crew.plans.get(id))?.state).toBe('WAIT_FOR_APPROVE');
    const twice = await approve(id, 'Bob', sha('a'), `s-${id}`);
    expect(twice).toMatchObject({ ok: false, code: 'refused' });
    expect(!twice.ok && twice.refusal).toContain('already approved plan');
    expect(await crew.plans.approvals(id)).toHaveLength(1);
    const second = await approve(id, 'carol', sha('a'), `s-${id}`);
    expect(second).toMatchObject({ ok: true, outcome: { accepted: true } });
    const applying = await stateOf(id, ['APPLYING']);
    expect(applying.approvedBy).toBe('carol');
    expect((await crew.plans.history(id)).filter((t) => t.to === 'APPLYING')).toHaveLength(1);
    expect(await appliesOf(id)).toHaveLength(1);
    expect((await crew.plans.approvals(id, sha('a'))).map((a) => [a.by, a.planSha256])).toEqual([
      ['bob', sha('a')],
      ['carol', sha('a')],
    ]);
  });

  it('approvals of an older plan file never count toward the new one', async () => {
    const id = await reviewedPlan(makeDnsSpec({ zone: 'corp.example', action: 'remove' }), {
      create: 0,
      update: 0,
      replace: 0,
      delete: 1,
    });
    await stateOf(id, ['WAIT_FOR_APPROVE']);
    expect(await approve(id, 'bob', sha('a'), `s-${id}`)).toMatchObject({ ok: true, outcome: { quorum: { have: 1 } } });
    // Re-planned: a new plan file under review (the stale-plan path moves the record the same way).
    await crew.plans.patch(id, { planSha256: sha('b'), planFile: { path: `/plans/${id}-2.tfplan`, sha256: sha('b') } });
    const stale = await approve(id, 'carol', sha('a'), `s-${id}`);
    expect(stale).toMatchObject({ ok: false, stale: true });
    const fresh = await approve(id, 'carol', sha('b'), `s-${id}`);
    expect(fresh).toMatchObject({ ok: true, outcome: { accepted: true, quorum: { have: 1, need: 2 } } });
    expect((await crew.plans.get(id))?.state).toBe('WAIT_FOR_APPROVE');
    expect(await appliesOf(id)).toHaveLength(0);
    expect(await approve(id, 'bob', sha('b'), `s-${id}`)).toMatchObject({ ok: true, outcome: { accepted: true } });
    await stateOf(id, ['APPLYING']);
  });

  it('over the monthly threshold the larger count applies; one approval suffices otherwise', async () => {
    const costly = await reviewedPlan(
      makeDnsSpec({ zone: 'corp.example' }),
      { create: 1, update: 0, replace: 0, delete: 0 },
      {
        monthlyUsd: 900,
      },
    );
    expect((await stateOf(costly, ['WAIT_FOR_APPROVE'])).approvalsRequired).toBe(3);
    const plain = await reviewedPlan(makeDnsSpec({ zone: 'corp.example' }), {
      create: 1,
      update: 0,
      replace: 0,
      delete: 0,
    });
    expect((await stateOf(plain, ['WAIT_FOR_APPROVE'])).approvalsRequired).toBe(1);
    expect(await approve(plain, 'dave', sha('a'))).toMatchObject({ ok: true, outcome: { accepted: true } });
    await stateOf(plain, ['APPLYING']);
  });
});

describe('approvals racing on two Conductor replicas', () => {
  it('a one-approval plan: of two approvals at once exactly one is accepted; the other names the winner and does not count', async () => {
    const second = startCrew({
      config: readConfig({ CREW_DATA_DIR: dataDir, CREW_APPROVERS: 'bob,carol,dave' }),
      logger: createLogger({ level: 'silent' }),
      redis: server.client(),
      prefix,
      roles: ['conductor'],
      policy: { approvals: { required: 1 } },
    });
    try {
      for (let round = 0; round < 6; round++) {
        const id = await reviewedPlan(makeDnsSpec({ zone: 'corp.example' }), {
          create: 1,
          update: 0,
          replace: 0,
          delete: 0,
        });
        await stateOf(id, ['WAIT_FOR_APPROVE']);
        // Both pass the surface's check before either reaches a Conductor.
        const [bob, carol] = await Promise.all([approve(id, 'bob', sha('a')), approve(id, 'carol', sha('a'))]);
        const outcomes = [bob, carol].map((r) => (r.ok ? r.outcome : { accepted: false, refusal: r.refusal }));
        expect(
          outcomes.filter((o) => o.accepted),
          JSON.stringify(outcomes),
        ).toHaveLength(1);
        const applying = await stateOf(id, ['APPLYING']);
        const loser = outcomes.find((o) => !o.accepted) as { refusal: string };
        expect(loser.refusal).toContain(`${applying.approvedBy} approved it first`);
        expect((await crew.plans.approvals(id)).map((a) => a.by)).toEqual([applying.approvedBy]);
        expect((await crew.plans.history(id)).filter((t) => t.to === 'APPLYING')).toHaveLength(1);
        expect(await appliesOf(id)).toHaveLength(1);
      }
    } finally {
      await second.close();
    }
  });
});

const decisionsOf = async (id: string) =>
  (await redis.xrange(streamKey(prefix, 'approval.decision'), '-', '+')).filter(([, f]) => f.join(' ').includes(id));

describe('step-up: a risky plan is approved only by naming its stack', () => {
  it('a destructive plan: refused without the name and with a wrong one, nothing recorded; the right name is accepted', async () => {
    const id = await reviewedPlan(makeDnsSpec({ zone: 'corp.example', action: 'remove' }), {
      create: 0,
      update: 0,
      replace: 1,
      delete: 2,
    });
    await stateOf(id, ['WAIT_FOR_APPROVE']);
    const bare = await approve(id, 'bob', sha('a'));
    expect(bare).toMatchObject({ ok: false, code: 'refused', stepUp: { stack: `s-${id}` } });
    expect(!bare.ok && bare.refusal).toContain(
      `plan ${id} deletes/replaces 3 resources: confirm with --confirm s-${id}`,
    );
    const wrong = await approve(id, 'bob', sha('a'), 's-other');
    expect(!wrong.ok && wrong.refusal).toContain(`you confirmed stack "s-other", but it changes stack s-${id}`);
    const blank = await approve(id, 'bob', sha('a'), '  ');
    expect(blank).toMatchObject({ ok: false, code: 'refused' });
    // Nothing recorded as an approval, nothing handed to the Conductor; the refusals are audited.
    expect(await crew.plans.approvals(id)).toEqual([]);
    expect(await decisionsOf(id)).toHaveLength(0);
    expect((await crew.plans.auditLog(id)).map((a) => [a.by, a.action, a.refusal?.includes('--confirm')])).toEqual([
      ['bob', 'approve', true],
      ['bob', 'approve', true],
      ['bob', 'approve', true],
    ]);
    expect((await crew.plans.get(id))?.state).toBe('WAIT_FOR_APPROVE');
    const right = await approve(id, 'bob', sha('a'), ` s-${id} `);
    expect(right).toMatchObject({ ok: true, outcome: { accepted: true, quorum: { have: 1, need: 2 } } });
    expect((await crew.plans.approvals(id)).map((a) => a.by)).toEqual(['bob']);
  });

  it('a plan over the monthly threshold needs the name; a rejection never does', async () => {
    const id = await reviewedPlan(
      makeDnsSpec({ zone: 'corp.example' }),
      { create: 1, update: 0, replace: 0, delete: 0 },
      { monthlyUsd: 900 },
    );
    await stateOf(id, ['WAIT_FOR_APPROVE']);
    const bare = await approve(id, 'bob', sha('a'));
    expect(!bare.ok && bare.refusal).toContain(
      `plan ${id} costs $900.00/month, over the $500/month threshold: confirm with --confirm s-${id}`,
    );
    expect(await approve(id, 'bob', sha('a'), `s-${id}`)).toMatchObject({ ok: true, outcome: { accepted: true } });
    const reject = await crew.ops.decide(id, 'reject', 'carol', 'cli', { sha: sha('a') });
    expect(reject.ok).toBe(true);
  });
});

describe('auto-approval', () => {
  it('applies a dns-record add in lab.internal, recorded as policy:<rule>', async () => {
    const id = await reviewedPlan(makeDnsSpec({ zone: 'lab.internal' }), {
      create: 1,
      update: 0,
      replace: 0,
      delete: 0,
    });
    const applying = await stateOf(id, ['APPLYING']);
    expect(applying.approvedBy).toBe('policy:lab-dns-add');
    expect((await crew.plans.approvals(id)).map((a) => a.by)).toEqual(['policy:lab-dns-add']);
    const t = (await crew.plans.history(id)).find((h) => h.to === 'APPLYING');
    expect(t).toMatchObject({
      by: 'policy:lab-dns-add',
      reason: expect.stringContaining('auto-approved by org policy rule lab-dns-add'),
    });
    expect(await appliesOf(id)).toHaveLength(1);
  });

  it('never a remove, never another zone, never a plan that also changes something', async () => {
    const remove = await reviewedPlan(makeDnsSpec({ zone: 'lab.internal', action: 'remove' }), {
      create: 0,
      update: 0,
      replace: 0,
      delete: 1,
    });
    const other = await reviewedPlan(makeDnsSpec({ zone: 'prod.internal' }), {
      create: 1,
      update: 0,
      replace: 0,
      delete: 0,
    });
    const updates = await reviewedPlan(makeDnsSpec({ zone: 'lab.internal' }), {
      create: 1,
      update: 1,
      replace: 0,
      delete: 0,
    });
    for (const id of [remove, other, updates]) {
      const p = await stateOf(id, ['WAIT_FOR_APPROVE']);
      expect(p.approvedBy).toBeUndefined();
      expect(await crew.plans.approvals(id)).toEqual([]);
    }
  });
});
