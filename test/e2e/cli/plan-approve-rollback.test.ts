import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonOf, makeCrewEnv, stateAddresses, type CrewEnv } from '../../support/crew-env.js';
import { waitFor } from '../../support/wait-for.js';
import { PATH_TO_ROLLED_BACK } from '../../support/plan-paths.js';
import { StackStore } from '../../../src/store/stack-store.js';

let t: CrewEnv;
beforeAll(async () => {
  t = await makeCrewEnv();
});
afterAll(async () => t.close());

interface PlanOut {
  id: string;
  state: string;
  stack: string;
  planSpec: { blueprint: string; params: Record<string, unknown> };
  validation: {
    verdict: string;
    findings: Array<{ ruleId: string; severity: string; address: string; message: string }>;
    cost: { monthlyUsd: number; previousMonthlyUsd: number; diffMonthlyUsd: number };
  };
}

describe('crew plan → approve → rollback on the sandbox target', () => {
  it('runs the whole loop with real Redis and real Terraform', async () => {
    const goal =
      'private Ollama on spot g4dn.xlarge in us-east-1, 2 instances, off on weekends, budget $300/month, stack ollama-e2e';
    const planned = await t.crew(['plan', goal, '--as', 'alice', '--json']);
    expect(planned.code, planned.stderr).toBe(0);
    const plan = jsonOf<PlanOut>(planned);
    expect(plan.state).toBe('WAIT_FOR_APPROVE');
    expect(plan.stack).toBe('ollama-e2e');
    expect(plan.planSpec.blueprint).toBe('aws-spot-ollama');
    expect(plan.planSpec.params.instanceTypes).toEqual(['g4dn.xlarge']);
    expect(plan.validation.verdict).toBe('PASS');
    expect(plan.validation.cost.monthlyUsd).toBeGreaterThan(0);
    expect(plan.validation.cost.previousMonthlyUsd).toBe(0);
    expect(plan.validation.cost.diffMonthlyUsd).toBeCloseTo(plan.validation.cost.monthlyUsd, 2);
    expect(planned.stderr).toContain(`redis: ${t.redis.url}`);
    expect(await stateAddresses(t.dataDir, 'ollama-e2e')).toEqual([]);

    const self = await t.crew(['approve', plan.id, '--as', 'alice']);
    expect(self.code).toBe(3);
    expect(self.stderr).toContain('a different person must approve it');

    const approved = await t.crew(['approve', plan.id, '--as', 'bob', '--json']);
    expect(approved.code, approved.stderr).toBe(0);
    expect(jsonOf(approved)).toMatchObject({ id: plan.id, state: 'DONE', approvedBy: 'bob', version: 1 });
    const applied = await stateAddresses(t.dataDir, 'ollama-e2e');
    expect(applied.length).toBeGreaterThan(5);
    expect(applied.some((a) => a.includes('aws_security_group__ollama'))).toBe(true);

    const rolled = await t.crew(['rollback', plan.id, '--as', 'alice', '--json']);
    expect(rolled.code, rolled.stderr).toBe(0);
    expect(jsonOf(rolled)).toMatchObject({
      state: 'ROLLED_BACK',
      rollback: { toVersion: 0, by: 'alice', slaBreached: false },
    });
    expect(await stateAddresses(t.dataDir, 'ollama-e2e')).toEqual([]);

    const history = await t.crew(['history', plan.id, '--json']);
    const rows = jsonOf<Array<{ from: string; to: string; by: string; at: string; reason: string }>>(history);
    expect(rows.map((r) => r.to)).toEqual(PATH_TO_ROLLED_BACK);
    expect(rows.find((r) => r.to === 'APPLYING')?.by).toBe('bob');
    expect(rows.find((r) => r.to === 'ROLLBACK')?.by).toBe('alice');
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.from).toBe(rows[i - 1]!.to);

    const status = await t.crew(['status']);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(plan.id);
  });

  it('blocks a goal that opens the Ollama port to the world (exit 2)', async () => {
    const r = await t.crew([
      'plan',
      'private Ollama on spot g4dn.xlarge, open port 11434 to 0.0.0.0/0, stack ollama-open',
      '--as',
      'alice',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(2);
    const plan = jsonOf<PlanOut>(r);
    expect(plan.state).toBe('BLOCKED');
    expect(plan.validation.verdict).toBe('FAIL');
    expect(plan.validation.findings.map((f) => f.ruleId)).toContain('CREW_OLLAMA_VPC_ONLY');
    expect(await stateAddresses(t.dataDir, 'ollama-open')).toEqual([]);
  });

  it('queues a second plan for a locked stack FIFO and starts it when the first ends; never two applying', async () => {
    const first = jsonOf<PlanOut>(
      await t.crew(['plan', 'private Ollama on spot g4dn.xlarge, stack ollama-lock', '--as', 'alice', '--json']),
    );
    expect(first.state).toBe('WAIT_FOR_APPROVE');
    const plans = t.plans();
    const queuedCount = async (n: number) => {
      const mine = (await plans.recent(10)).filter((p) => p.stack === 'ollama-lock' && p.queuedBehind);
      return mine.length === n ? mine : undefined;
    };
    const secondRun = t.crew([
      'plan',
      'private Ollama on spot g5.xlarge, stack ollama-lock',
      '--as',
      'carol',
      '--json',
    ]);
    await waitFor(() => queuedCount(1), 60_000);
    const thirdRun = t.crew([
      'plan',
      'private Ollama on spot g4dn.2xlarge, stack ollama-lock',
      '--as',
      'dave',
      '--json',
    ]);
    const queued = await waitFor(async () => {
      const mine = (await plans.recent(10)).filter((p) => p.stack === 'ollama-lock' && p.queuedBehind);
      return mine.length === 2 ? mine : undefined;
    }, 60_000);
    expect(queued.every((p) => p.state === 'PENDING' && p.queuedBehind === first.id)).toBe(true);
    expect((await t.plans().history(queued[0]!.id))[0]?.reason).toContain(
      `queued behind plan ${first.id} (WAIT_FOR_APPROVE, requested by alice)`,
    );
    const rejected = await t.crew(['reject', first.id, '--as', 'alice', '--reason', 'not today']);
    expect(rejected.code, rejected.stderr).toBe(0);
    // FIFO: carol's plan (queued first) starts; dave's waits behind it.
    const second = await secondRun;
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain(`queued behind plan ${first.id}`);
    const secondPlan = jsonOf<PlanOut>(second);
    expect(secondPlan.state).toBe('WAIT_FOR_APPROVE');
    expect((await plans.recent(10)).find((p) => p.requestedBy === 'dave')?.state).toBe('PENDING');
    expect((await t.crew(['reject', secondPlan.id, '--as', 'carol'])).code).toBe(0);
    const third = await thirdRun;
    expect(jsonOf<PlanOut>(third).state).toBe('WAIT_FOR_APPROVE');
  }, 180_000);
});

describe('two plans for one stack at the same moment', () => {
  it('lets exactly one through; the other queues behind it', async () => {
    const goal = (who: string) =>
      t.crew([
        'plan',
        `private Ollama on spot g4dn.xlarge, stack ollama-race, requested by ${who}`,
        '--as',
        who,
        '--json',
      ]);
    const runs = [goal('alice'), goal('carol')];
    const plans = t.plans();
    const [winner, waiting] = await waitFor(async () => {
      const mine = (await plans.recent(10)).filter((p) => p.stack === 'ollama-race');
      const w = mine.find((p) => p.state === 'WAIT_FOR_APPROVE');
      const q = mine.find((p) => p.queuedBehind);
      return w && q ? [w, q] : undefined;
    }, 60_000);
    expect(waiting.queuedBehind).toBe(winner.id);
    expect(waiting.state).toBe('PENDING');
    expect((await t.crew(['reject', winner.id, '--as', winner.requestedBy])).code).toBe(0);
    // Each `crew plan` ends when its own plan waits for approval: the winner at once, the other once promoted.
    const outs = (await Promise.all(runs)).map((r) => jsonOf<{ id: string; state: string }>(r));
    expect(outs.map((o) => o.state)).toEqual(['WAIT_FOR_APPROVE', 'WAIT_FOR_APPROVE']);
    expect(outs.map((o) => o.id).sort()).toEqual([winner.id, waiting.id].sort());
    expect((await plans.get(waiting.id))?.queuedBehind).toBeUndefined();
  }, 120_000);
});

describe('a plan queued behind one that changes its stack', () => {
  it('is drafted again at its turn against the version the holder applied, keeping what the holder set, never built from its stale spec', async () => {
    const first = jsonOf<PlanOut>(
      await t.crew([
        'plan',
        'private Ollama on spot g4dn.xlarge, budget $500/month, stack q-stale',
        '--as',
        'alice',
        '--json',
      ]),
    );
    expect(first.state).toBe('WAIT_FOR_APPROVE');
    const plans = t.plans();
    // Drafted while version 0 stands (no stack yet, so no budget of the first plan's), queued behind the first.
    const queuedRun = t.crew(['plan', 'private Ollama on spot g5.xlarge, stack q-stale', '--as', 'carol', '--json']);
    const queued = await waitFor(async () => {
      const p = (await plans.recent(10)).find((x) => x.stack === 'q-stale' && x.queuedBehind);
      return p?.state === 'PENDING' ? p : undefined;
    }, 60_000);
    expect(queued.baseVersion).toBe(0);
    expect(queued.spec?.budget.monthlyUsd).not.toBe(500);
    const approved = await t.crew(['approve', first.id, '--as', 'bob']);
    expect(approved.code, approved.stderr).toBe(0);
    // At its turn the stack is at version 1: its goal is read again against it, and `crew plan` ends at the review.
    const out = await queuedRun;
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).toContain(
      `stack q-stale moved to version 1 while plan ${queued.id} waited for it; its goal is read again against that version`,
    );
    const redrafted = jsonOf<PlanOut & { planSpec: { budget: { monthlyUsd: number | null } } }>(out);
    expect(redrafted.id).toBe(queued.id);
    expect(redrafted.state).toBe('WAIT_FOR_APPROVE');
    expect(redrafted.planSpec.params.instanceTypes).toEqual(['g5.xlarge']);
    // The first plan's budget stands: a change of version 1, not a new stack that would drop it.
    expect(redrafted.planSpec.budget.monthlyUsd).toBe(500);
    expect(redrafted.validation.cost.previousMonthlyUsd).toBeGreaterThan(0);
    const record = await plans.get(queued.id);
    expect(record).toMatchObject({ baseVersion: 1, redraftedAt: 1 });
    // Atlas says which version each spec was drafted against: none stood for the first reading.
    expect(record?.spec?.baseVersion).toBe(1);
    expect(queued.spec?.baseVersion).toBe(0);
    expect(record?.queuedBehind).toBeUndefined();
    const history = await plans.history(queued.id);
    expect(history.map((h) => h.to).slice(0, 4)).toEqual(['PENDING', 'DRAFTING', 'PENDING', 'IN_PROGRESS']);
    expect(history[1]).toMatchObject({
      event: 'STACK_MOVED',
      reason:
        'stack q-stale moved from version 0 to 1 while this plan waited in its queue; its goal is read again against version 1 (the spec drafted against version 0 would undo what changed since)',
    });
    // Applied, it is version 2 with both plans' changes.
    expect((await t.crew(['approve', queued.id, '--as', 'bob'])).code).toBe(0);
    const client = t.redis.client();
    try {
      expect(await new StackStore({ redis: client }).current('q-stale')).toMatchObject({
        version: 2,
        planId: queued.id,
        spec: { params: { instanceTypes: ['g5.xlarge'] }, budget: { monthlyUsd: 500 } },
      });
    } finally {
      client.disconnect();
    }
  }, 180_000);
});
