import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../../src/agents/sentinel/policy/parse-policy.js';
import { approvalsRequired, isQuorumRules, matchAutoApprove } from '../../../src/access/approval-rules.js';
import { makeDnsSpec } from '../../support/make-dns-spec.js';

const summary = (s: Partial<{ create: number; update: number; replace: number; delete: number }>) => ({
  create: 0,
  update: 0,
  replace: 0,
  delete: 0,
  noop: 0,
  ...s,
});

describe('approvals and autoApprove in the org policy YAML', () => {
  it('reads the quorum and the rules, naming a rule by what it covers', () => {
    const r = parsePolicy(
      [
        'approvals:',
        '  required: 1',
        '  destructive: 2',
        '  overMonthlyUsd: { amount: 500, required: 2 }',
        'autoApprove:',
        '  - { blueprint: dns-record, zone: lab.internal, action: add }',
      ].join('\n'),
    );
    expect(r).toEqual({
      ok: true,
      policy: {
        approvals: { required: 1, destructive: 2, overMonthlyUsd: { amount: 500, required: 2 } },
        autoApprove: [
          { id: 'dns-record-add-lab.internal', blueprint: 'dns-record', zone: 'lab.internal', action: 'add' },
        ],
      },
    });
    if (r.ok) expect(isQuorumRules({ approvals: r.policy.approvals, autoApprove: r.policy.autoApprove })).toBe(true);
  });

  it.each([
    ['approvals:\n  required: 0', 'policy.yaml:2: approvals.required must be a whole number 1-20'],
    [
      'approvals:\n  overMonthlyUsd: { amount: 5 }',
      'policy.yaml:2: approvals.overMonthlyUsd needs both amount and required',
    ],
    ['approvals:\n  quorum: 2', 'policy.yaml:2: approvals.quorum: unknown key'],
    [
      'autoApprove:\n  - { blueprint: dns-record, zone: lab.internal, action: remove }',
      'policy.yaml:2: autoApprove[0].action must be add (a remove always needs a person)',
    ],
    [
      'autoApprove:\n  - { blueprint: dns-record }',
      'policy.yaml:2: autoApprove[0]: a dns-record rule must name its zone',
    ],
    ['autoApprove:\n  - { blueprint: "rm -rf" }', 'policy.yaml:2: autoApprove[0].blueprint must be one of'],
  ])('refuses %j with its line', (text, reason) => {
    const r = parsePolicy(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reason);
  });
});

describe('how many approvals a plan needs', () => {
  const q = { required: 1, destructive: 2, overMonthlyUsd: { amount: 500, required: 3 } };
  const cost = (monthlyUsd: number) =>
    ({ cost: { monthlyUsd, previousMonthlyUsd: 0, diffMonthlyUsd: monthlyUsd, resources: [], unpriced: [] } }) as never;
  it('takes the largest count any rule asks for', () => {
    expect(approvalsRequired({ spec: makeDnsSpec(), summary: summary({ create: 1 }) }, q)).toBe(1);
    expect(approvalsRequired({ spec: makeDnsSpec(), summary: summary({ replace: 1 }) }, q)).toBe(2);
    expect(approvalsRequired({ spec: makeDnsSpec({ action: 'remove' }), summary: summary({}) }, q)).toBe(2);
    expect(approvalsRequired({ summary: summary({ delete: 1 }), validation: cost(900) }, q)).toBe(3);
    expect(approvalsRequired({ summary: summary({}), validation: cost(500) }, q)).toBe(1);
    expect(approvalsRequired({ summary: summary({ delete: 3 }) }, { required: 1 })).toBe(1);
  });
});

describe('which plans auto-approve', () => {
  const rules = [{ id: 'lab', blueprint: 'dns-record', zone: 'lab.internal', action: 'add' }];
  it('only the declared class: an add in that zone that changes nothing else', () => {
    expect(
      matchAutoApprove({ spec: makeDnsSpec({ zone: 'lab.internal' }), summary: summary({ create: 1 }) }, rules)?.id,
    ).toBe('lab');
    expect(
      matchAutoApprove({ spec: makeDnsSpec({ zone: 'LAB.internal.' }), summary: summary({ create: 1 }) }, rules)?.id,
    ).toBe('lab');
    expect(
      matchAutoApprove(
        { spec: makeDnsSpec({ zone: 'lab.internal', action: 'remove' }), summary: summary({ delete: 1 }) },
        rules,
      ),
    ).toBeUndefined();
    expect(
      matchAutoApprove({ spec: makeDnsSpec({ zone: 'evil.lab.internal' }), summary: summary({ create: 1 }) }, rules),
    ).toBeUndefined();
    expect(
      matchAutoApprove(
        { spec: makeDnsSpec({ zone: 'lab.internal' }), summary: summary({ create: 1, replace: 1 }) },
        rules,
      ),
    ).toBeUndefined();
    expect(matchAutoApprove({ spec: makeDnsSpec({ zone: 'lab.internal' }) }, rules)).toBeUndefined();
  });
});
