import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkPayload } from '../../../../contracts/index.js';
import { evaluatePlan } from '../../../../src/agents/sentinel/evaluate-plan.js';
import { RULE_INFO } from '../../../../src/agents/sentinel/rules/rule-catalog.js';
import { evaluate, NOW, only, type ChangeSpec } from './plan-builder.js';
import { fixture } from '../../../support/load-fixture.js';
import { repoPath } from '../../../support/paths.js';

// 2025 GB of gp3 at $0.08 = $162.00/month.
const volume: ChangeSpec = { address: 'aws_ebs_volume.data', after: { size: 2025, type: 'gp3', encrypted: true } };

describe('budget brake', () => {
  it('fails when spent + diff exceeds 80 % of the budget, with the numbers', () => {
    const r = evaluate([volume], { budgetUsd: 300, spentUsd: 250 });
    expect(only(r, 'CREW_BUDGET_BRAKE')).toEqual([
      {
        ruleId: 'CREW_BUDGET_BRAKE',
        severity: 'HIGH',
        address: 'budget',
        message:
          'forecast $412.00/month = spent $250.00 + this change $162.00 exceeds 80% of the $300.00 budget ($240.00): use Spot, a smaller instance type or an off-hours schedule, or raise the budget',
      },
    ]);
    expect(r.budget).toEqual({
      monthlyUsd: 300,
      spentUsd: 250,
      forecastUsd: 412,
      ratio: 1.3733,
      brakeRatio: 0.8,
      brake: true,
    });
    expect(r.verdict).toBe('FAIL');
  });

  it('passes under the brake and honours a custom ratio', () => {
    const r = evaluate([volume], { budgetUsd: 300, spentUsd: 50 });
    expect(r.budget).toEqual({
      monthlyUsd: 300,
      spentUsd: 50,
      forecastUsd: 212,
      ratio: 0.7067,
      brakeRatio: 0.8,
      brake: false,
    });
    expect(r.verdict).toBe('PASS');
    expect(evaluate([volume], { budgetUsd: 300, spentUsd: 50, brakeRatio: 0.5 }).budget.brake).toBe(true);
  });

  it('has no brake and a null ratio without a budget', () => {
    const r = evaluate([volume], { spentUsd: 1e6 });
    expect(r.budget).toEqual({
      monthlyUsd: null,
      spentUsd: 1e6,
      forecastUsd: 1000162,
      ratio: null,
      brakeRatio: 0.8,
      brake: false,
    });
  });

  it('enforces the policy maximum per stack', () => {
    const r = evaluate([volume], { policy: { maxMonthlyUsdPerStack: 100 } });
    expect(only(r, 'CREW_POLICY_STACK_COST')[0]?.message).toBe(
      'this stack would cost $162.00/month, above the org policy maximum of $100.00 per stack',
    );
    expect(evaluate([volume], { policy: { maxMonthlyUsdPerStack: 200 } }).verdict).toBe('PASS');
  });
});

describe('ValidationResult contract', () => {
  it('every fixture result validates against the contract', () => {
    for (const name of [
      'aws-spot-ollama-pass.json',
      'aws-ollama-insecure.json',
      'aws-ollama-update-regression.json',
      'proxmox-k3s.json',
    ]) {
      const result = evaluatePlan(fixture(name), { now: NOW, budgetUsd: 300, spentUsd: 10 });
      expect(checkPayload('ValidationResult', result)).toEqual({ ok: true, value: result });
    }
    const noBudget = evaluatePlan(fixture('aws-spot-ollama-pass.json'), { now: NOW });
    expect(checkPayload('ValidationResult', noBudget).ok).toBe(true);
    expect(noBudget.budget.monthlyUsd).toBeNull();
  });

  it('RULES.md documents every rule id', () => {
    const doc = readFileSync(repoPath('src', 'agents', 'sentinel', 'RULES.md'), 'utf8');
    const missing = [...RULE_INFO.keys()].filter((id) => !doc.includes(`\`${id}\``));
    expect(missing).toEqual([]);
    expect(RULE_INFO.size).toBe(33);
  });
});
