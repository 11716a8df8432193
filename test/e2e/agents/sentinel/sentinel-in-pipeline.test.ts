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
    budget: { forecastUsd: number; brake: boolean };
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
      /forecast \$[\d,.]+\/month = spent \$0\.00 \+ this change \$[\d,.]+ exceeds 80% of the \$500\.00 budget \(\$400\.00\)/,
    );
    expect(out.validation.budget.brake).toBe(true);
    expect(out.reason).toContain('CREW_BUDGET_BRAKE');
  });
});
