import { describe, expect, it } from 'vitest';
import { parseGoal } from '../../../../src/agents/atlas/draft-plan.js';
import { makeCtx, specOf } from './atlas-fixtures.js';

// Terraform does not move a stack between regions: pointed at another region it loses track of
// the resources (they keep running, and billing, outside its state) and creates new ones. Drafted,
// "move gp-east to eu-west-1" read as a plain change, priced the same, and left the old group up.

const east = specOf('private Ollama on spot g4dn.xlarge in us-east-1, stack gp-east');
const sched = specOf('put a weekend schedule on asg render-farm in us-east-1, stack rf-sched');
const ctx = () =>
  makeCtx(false, {
    currentSpec: (s) => structuredClone(s === 'gp-east' ? east : s === 'rf-sched' ? sched : undefined),
  });

describe('a standing stack and another region', () => {
  it('is refused, with the way to move it', () => {
    const out = parseGoal('move gp-east to eu-west-1', ctx());
    expect(out.kind === 'invalid' && out.message).toBe(
      'stack gp-east runs in us-east-1: it cannot move to eu-west-1 (Terraform would lose track of its resources there, which keep running and billing). Create a stack there (its goal with "in eu-west-1, stack <a new name>"), then scale this one to zero or roll it back.',
    );
    const named = parseGoal('scale gp-east to 2 in Ireland', ctx());
    expect(named.kind === 'invalid' && named.message).toContain('cannot move to eu-west-1');
    const asg = parseGoal(
      'change the schedule of asg render-farm in eu-central-1 to stop Friday 20:00, stack rf-sched',
      ctx(),
    );
    expect(asg.kind === 'invalid' && asg.message).toContain('stack rf-sched runs in us-east-1');
  });

  it('is no move when the goal names the region the stack runs in, or none', () => {
    expect(specOf('scale gp-east to 2 in us-east-1', ctx()).region).toBe('us-east-1');
    expect(specOf('scale gp-east to 2', ctx()).region).toBe('us-east-1');
  });
});
