import { describe, expect, it } from 'vitest';
import { parseGoal } from '../../../src/agents/atlas/draft-plan.js';
import type { PlanRecord } from '../../../src/plan/plan-record.js';
import { renderProvenance } from '../../../src/slack/render/render-provenance.js';
import { renderReview } from '../../../src/slack/render/render-review.js';
import { blocksText } from '../../support/slack-harness.js';
import { makeCtx } from '../agents/atlas/atlas-fixtures.js';

const base = { id: 'p-prov', goal: '', requestedBy: 'U0ALICE', createdAt: '', updatedAt: '' };

function planFor(goal: string): PlanRecord {
  const out = parseGoal(goal, makeCtx(false));
  if (out.kind === 'spec') return { ...base, goal, state: 'WAIT_FOR_APPROVE', spec: out.spec };
  if (out.kind === 'blocked')
    return { ...base, goal, state: 'BLOCKED', blocked: { reason: out.reason, rationale: out.rationale } };
  throw new Error(out.message);
}

describe('the review shows where each value came from and what was not understood', () => {
  it('quotes the words a value came from and names defaults and the org policy apart', () => {
    const plan = planFor('ollama on g5.xlarge in us-west-2, keep it running through the weekend, budget $300/month');
    const text = renderProvenance(plan) ?? '';
    expect(text.split('\n')).toEqual(
      expect.arrayContaining([
        '*Where each value came from:*',
        '• instanceTypes: `g5.xlarge` ← your words "g5.xlarge"',
        '• schedule: `none` ← your words "keep it running through the weekend"',
        '• volumeGb: `100` ← blueprint default',
        '• region: `us-west-2` ← your words "us-west-2"',
        '*Not understood:* nothing',
      ]),
    );
    const withPolicy = {
      ...plan,
      spec: { ...plan.spec!, provenance: { ...plan.spec!.provenance, region: { source: 'org-policy' as const } } },
    };
    expect(renderProvenance(withPolicy)).toContain('• region: `us-west-2` ← org policy');
    expect(blocksText(renderReview(plan).blocks)).toContain('Where each value came from');
  });

  it('lists the not-understood spans of a blocked plan', () => {
    const plan = planFor('ollama on g5.xlarge, budget of a few hundred');
    expect(renderProvenance(plan)).toBe('*Not understood:* "budget of a few hundred"');
  });

  it("shows Forge's plan detail (the records a DNS removal takes away) in the review", () => {
    const plan = {
      ...planFor('Delete the CNAME www.lab.internal'),
      reviewNote: 'Removes 1 record(s)\nwww.lab.internal. 300 IN CNAME web.lab.internal.',
    };
    expect(blocksText(renderReview(plan).blocks)).toContain('www.lab.internal. 300 IN CNAME web.lab.internal.');
  });
});
