import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonOf, makeCrewEnv, stateAddresses, type CrewEnv } from '../support/crew-env.js';

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
  validation: { verdict: string; findings: Array<{ ruleId: string; severity: string; address: string; message: string }>; cost: { monthlyUsd: number; previousMonthlyUsd: number; diffMonthlyUsd: number } };
}

describe('crew plan → approve → rollback on the sandbox target', () => {
  it('runs the whole loop with real Redis and real Terraform', async () => {
    const goal = 'private Ollama on spot g4dn.xlarge in us-east-1, 2 instances, off on weekends, budget $300/month, stack ollama-e2e';
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
    expect(jsonOf(rolled)).toMatchObject({ state: 'ROLLED_BACK', rollback: { toVersion: 0, by: 'alice', slaBreached: false } });
    expect(await stateAddresses(t.dataDir, 'ollama-e2e')).toEqual([]);

    const history = await t.crew(['history', plan.id, '--json']);
    const rows = jsonOf<Array<{ from: string; to: string; by: string; at: string; reason: string }>>(history);
    expect(rows.map((r) => r.to)).toEqual([
      'PENDING', 'IN_PROGRESS', 'VALIDATING', 'READY_FOR_APPLY', 'WAIT_FOR_APPROVE', 'APPLYING', 'DONE', 'ROLLBACK', 'ROLLED_BACK',
    ]);
    expect(rows.find((r) => r.to === 'APPLYING')?.by).toBe('bob');
    expect(rows.find((r) => r.to === 'ROLLBACK')?.by).toBe('alice');
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.from).toBe(rows[i - 1]!.to);

    const status = await t.crew(['status']);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(plan.id);
  });

  it('blocks a goal that opens the Ollama port to the world (exit 2)', async () => {
    const r = await t.crew(['plan', 'private Ollama on spot g4dn.xlarge, open port 11434 to 0.0.0.0/0, stack ollama-open', '--as', 'alice', '--json']);
    expect(r.code, r.stderr).toBe(2);
    const plan = jsonOf<PlanOut>(r);
    expect(plan.state).toBe('BLOCKED');
    expect(plan.validation.verdict).toBe('FAIL');
    expect(plan.validation.findings.map((f) => f.ruleId)).toContain('CREW_OLLAMA_VPC_ONLY');
    expect(await stateAddresses(t.dataDir, 'ollama-open')).toEqual([]);
  });

  it('refuses a second plan for a locked stack, naming the holder; never two applying', async () => {
    const first = jsonOf<PlanOut>(await t.crew(['plan', 'private Ollama on spot g4dn.xlarge, stack ollama-lock', '--as', 'alice', '--json']));
    expect(first.state).toBe('WAIT_FOR_APPROVE');
    const second = await t.crew(['plan', 'private Ollama on spot g5.xlarge, stack ollama-lock', '--as', 'carol', '--json']);
    expect(second.code).toBe(2);
    const out = jsonOf<{ state: string; reason: string }>(second);
    expect(out.state).toBe('BLOCKED');
    expect(out.reason).toContain(`locked by plan ${first.id} (WAIT_FOR_APPROVE, requested by alice)`);
    const rejected = await t.crew(['reject', first.id, '--as', 'alice', '--reason', 'not today']);
    expect(rejected.code, rejected.stderr).toBe(0);
    const third = jsonOf<PlanOut>(await t.crew(['plan', 'private Ollama on spot g5.xlarge, stack ollama-lock', '--as', 'carol', '--json']));
    expect(third.state).toBe('WAIT_FOR_APPROVE');
  });
});

describe('two plans for one stack at the same moment', () => {
  it('lets exactly one through; the other is blocked naming it', async () => {
    const goal = (who: string) => t.crew(['plan', `private Ollama on spot g4dn.xlarge, stack ollama-race, requested by ${who}`, '--as', who, '--json']);
    const [a, b] = await Promise.all([goal('alice'), goal('carol')]);
    const outs = [jsonOf<{ id: string; state: string; reason?: string }>(a), jsonOf<{ id: string; state: string; reason?: string }>(b)];
    const winner = outs.find((o) => o.state === 'WAIT_FOR_APPROVE');
    const loser = outs.find((o) => o.state === 'BLOCKED');
    expect(winner, JSON.stringify(outs)).toBeDefined();
    expect(loser, JSON.stringify(outs)).toBeDefined();
    expect(loser!.reason).toContain(`locked by plan ${winner!.id}`);
  });
});
