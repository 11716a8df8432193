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
  it('fails when the other stacks plus this one exceed 80 % of the budget, with the numbers', () => {
    const r = evaluate([volume], { budgetUsd: 300, spentUsd: 250 });
    expect(only(r, 'CREW_BUDGET_BRAKE')).toEqual([
      {
        ruleId: 'CREW_BUDGET_BRAKE',
        severity: 'HIGH',
        address: 'budget',
        message:
          'forecast $412.00/month = other stacks $250.00 + this stack $162.00 exceeds 80% of the $300.00 budget ($240.00): use Spot, a smaller instance type or an off-hours schedule, or raise the budget',
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

  it("counts a changed stack's whole cost after the change, not only the difference", () => {
    // 1000 GB ($80.00) grown to 2025 GB ($162.00), beside $100.00 the other stacks commit.
    const grown: ChangeSpec = {
      ...volume,
      actions: ['update'],
      before: { size: 1000, type: 'gp3', encrypted: true },
    };
    const r = evaluate([grown], { budgetUsd: 300, spentUsd: 100 });
    expect(r.cost).toMatchObject({ monthlyUsd: 162, previousMonthlyUsd: 80, diffMonthlyUsd: 82 });
    expect(r.budget).toMatchObject({ spentUsd: 100, forecastUsd: 262, brake: true });
    expect(only(r, 'CREW_BUDGET_BRAKE')[0]?.message).toBe(
      'forecast $262.00/month = other stacks $100.00 + this stack $162.00 (was $80.00, +$82.00) exceeds 80% of the $300.00 budget ($240.00): use Spot, a smaller instance type or an off-hours schedule, or raise the budget',
    );
    // Destroyed, the stack adds nothing: the forecast is what the others commit.
    const gone = evaluate([{ address: volume.address, actions: ['delete'], before: grown.after ?? null }], {
      budgetUsd: 300,
      spentUsd: 100,
    });
    expect(gone.budget).toMatchObject({ forecastUsd: 100, brake: false });
  });

  it('does not stop a plan that adds no monthly spend, though the forecast stays over the brake', () => {
    // Shrunk from 2025 GB ($162.00) to 1000 GB ($80.00) beside $250.00 the other stacks commit.
    const shrunk: ChangeSpec = {
      ...volume,
      actions: ['update'],
      before: volume.after ?? null,
      after: { size: 1000, type: 'gp3', encrypted: true },
    };
    const cut = evaluate([shrunk], { budgetUsd: 300, spentUsd: 250 });
    expect(cut.cost).toMatchObject({ monthlyUsd: 80, previousMonthlyUsd: 162, diffMonthlyUsd: -82 });
    expect(cut.budget).toMatchObject({ forecastUsd: 330, brake: true });
    expect(only(cut, 'CREW_BUDGET_BRAKE')).toEqual([
      {
        ruleId: 'CREW_BUDGET_BRAKE',
        severity: 'MEDIUM',
        address: 'budget',
        message:
          'forecast $330.00/month = other stacks $250.00 + this stack $80.00 (was $162.00, -$82.00) exceeds 80% of the $300.00 budget ($240.00), but this plan adds no monthly spend: not blocked, so that cuts can bring the forecast back under the brake',
      },
    ]);
    expect(cut.verdict).toBe('PASS');
    // The same cost (a change of tags, of the brake itself): not blocked either; a cent more is.
    const same = evaluate([{ ...volume, actions: ['update'], before: volume.after ?? null }], {
      budgetUsd: 300,
      spentUsd: 250,
    });
    expect(same.cost).toMatchObject({ monthlyUsd: 162, diffMonthlyUsd: 0 });
    expect(same.verdict).toBe('PASS');
    expect(only(same, 'CREW_BUDGET_BRAKE')[0]?.severity).toBe('MEDIUM');
    const grown = evaluate([{ ...volume, actions: ['update'], before: { size: 2024, type: 'gp3', encrypted: true } }], {
      budgetUsd: 300,
      spentUsd: 250,
    });
    expect(grown.cost.diffMonthlyUsd).toBeGreaterThan(0);
    expect(grown.verdict).toBe('FAIL');
    expect(only(grown, 'CREW_BUDGET_BRAKE')[0]?.severity).toBe('HIGH');
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
    expect(RULE_INFO.size).toBe(34);
  });
});
