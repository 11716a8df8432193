import { describe, expect, it } from 'vitest';
import { parseGoal } from '../../../../src/agents/atlas/draft-plan.js';
import { makeCtx } from './atlas-fixtures.js';

const constraints = {
  allowedRegions: ['us-east-1', 'eu-west-1'],
  allowedInstanceTypes: ['g4dn.*', 'g5.xlarge'],
  maxMonthlyUsdPerStack: 500,
  allowedPorts: [11434],
};
const ctx = makeCtx(false, { constraints });

describe('org constraints', () => {
  it('blocks a region outside the allowed list', () => {
    const out = parseGoal('ollama on g4dn.xlarge in eu-central-1', ctx);
    expect(out.kind === 'blocked' && out.reason).toBe(
      'region eu-central-1 is not allowed by org policy (allowed: us-east-1, eu-west-1)',
    );
  });

  it('matches instance types against globs', () => {
    expect(parseGoal('ollama on g4dn.12xlarge in us-east-1, budget $400', ctx).kind).toBe('spec');
    const out = parseGoal('ollama on p4d.24xlarge in us-east-1', ctx);
    expect(out.kind === 'blocked' && out.reason).toMatch(
      /instance type p4d\.24xlarge is not allowed by org policy \(allowed: g4dn\.\*, g5\.xlarge\)/,
    );
  });

  it('blocks a budget over the per-stack limit and fills a missing one', () => {
    const over = parseGoal('ollama on g4dn.xlarge, budget $900/month', ctx);
    expect(over.kind === 'blocked' && over.reason).toMatch(/budget \$900\/month is over the org limit of \$500\/month/);
    const none = parseGoal('ollama on g4dn.xlarge', ctx);
    expect(none.kind === 'spec' && none.spec.budget.monthlyUsd).toBe(500);
  });

  it('blocks a port outside the allowed list', () => {
    const out = parseGoal('ollama on port 8080', ctx);
    expect(out.kind === 'blocked' && out.reason).toMatch(/port 8080 is not allowed by org policy/);
  });

  it('applies to changes too', () => {
    const out = parseGoal('switch ollama-dev to p3.2xlarge', makeCtx(true, { constraints }));
    expect(out.kind === 'blocked' && out.reason).toMatch(/p3\.2xlarge is not allowed/);
  });
});
