import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonOf, makeCrewEnv, type CrewEnv } from '../../../support/crew-env.js';

let t: CrewEnv;
beforeAll(async () => {
  t = await makeCrewEnv();
});
afterAll(async () => t.close());

type Finding = { ruleId: string; severity: string; address: string; message: string };
type Out = {
  id: string;
  state: string;
  reason?: string;
  validation: {
    verdict: string;
    findings: Finding[];
    cost: { monthlyUsd: number; previousMonthlyUsd: number; diffMonthlyUsd: number };
    budget: { spentUsd: number; forecastUsd: number; brake: boolean };
  };
};

describe('Sentinel inside the pipeline', () => {
  it('shows the same findings and cost as `crew check` on the same plan JSON', async () => {
    const out = jsonOf<Out>(
      await t.crew([
        'plan',
        'private Ollama on spot g4dn.xlarge, 2 instances, off on weekends, stack same-view',
        '--as',
        'alice',
        '--json',
      ]),
    );
    const plansDir = join(t.dataDir, 'stacks', 'same-view', 'plans');
    const file = readdirSync(plansDir).find((f) => f.startsWith(out.id) && f.endsWith('.plan.json'));
    expect(file).toBeDefined();
    const checked = await t.crew(['check', join(plansDir, file!), '--json']);
    expect([0, 2]).toContain(checked.code);
    const v = jsonOf<{ verdict: string; findings: Finding[]; cost: { monthlyUsd: number } }>(checked);
    expect(v.verdict).toBe(out.validation.verdict);
    expect(v.findings.map((f) => [f.ruleId, f.address])).toEqual(
      out.validation.findings.map((f) => [f.ruleId, f.address]),
    );
    expect(v.cost.monthlyUsd).toBe(out.validation.cost.monthlyUsd);
  });

  it('blocks a plan whose cost trips the budget brake, with the numbers', async () => {
    const r = await t.crew([
      'plan',
      'private Ollama on spot g5.xlarge, 3 instances, 3 on-demand, budget $500/month, stack brake-me',
      '--as',
      'alice',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(2);
    const out = jsonOf<Out>(r);
    expect(out.state).toBe('BLOCKED');
    const brake = out.validation.findings.find((f) => f.ruleId === 'CREW_BUDGET_BRAKE');
    expect(brake, JSON.stringify(out.validation.findings)).toBeDefined();
    expect(brake!.message).toMatch(
      /forecast \$[\d,.]+\/month = other stacks \$0\.00 \+ this stack \$[\d,.]+ exceeds 80% of the \$500\.00 budget \(\$400\.00\)/,
    );
    expect(out.validation.budget.brake).toBe(true);
    expect(out.reason).toContain('CREW_BUDGET_BRAKE');
  });

  it("brakes a change by the stack's whole new cost, beside what the other stacks commit", async () => {
    const first = jsonOf<Out>(
      await t.crew([
        'plan',
        'private Ollama on spot g4dn.xlarge, budget $400/month, stack grow-me',
        '--as',
        'alice',
        '--json',
      ]),
    );
    expect(first.state).toBe('WAIT_FOR_APPROVE');
    expect((await t.crew(['approve', first.id, '--as', 'bob'])).code).toBe(0);
    const bigger = await t.crew(['plan', 'scale grow-me to 3', '--as', 'alice', '--json']);
    const out = jsonOf<Out>(bigger);
    const { cost, budget } = out.validation;
    // Three instances cost ~3× one: the change alone (~2×) stays under the $320 brake, the stack does not.
    expect(cost.previousMonthlyUsd).toBe(first.validation.cost.monthlyUsd);
    expect(cost.diffMonthlyUsd).toBeLessThan(320);
    expect(cost.monthlyUsd).toBeGreaterThan(320);
    expect(budget.forecastUsd).toBeCloseTo(budget.spentUsd + cost.monthlyUsd, 2);
    expect(budget.brake).toBe(true);
    expect(out.state).toBe('BLOCKED');
    const brake = out.validation.findings.find((f) => f.ruleId === 'CREW_BUDGET_BRAKE');
    expect(brake?.message).toContain(
      `(was $${cost.previousMonthlyUsd.toFixed(2)}, +$${cost.diffMonthlyUsd.toFixed(2)})`,
    );
    expect(bigger.code).toBe(2);
  });
});
