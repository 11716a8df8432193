import { describe, expect, it } from 'vitest';
import { parseGoal } from '../../../../src/agents/atlas/draft-plan.js';
import { readWithRules } from '../../../../src/agents/atlas/parse-goal.js';
import { mergeLlmParams } from '../../../../src/agents/atlas/merge-llm-params.js';
import { markModelValues } from '../../../../src/agents/atlas/trace-provenance.js';
import { makeCtx } from './atlas-fixtures.js';

function specOf(goal: string, stacks = false) {
  const out = parseGoal(goal, makeCtx(stacks));
  if (out.kind !== 'spec') throw new Error(JSON.stringify(out));
  return out.spec;
}

describe('provenance: where every value came from', () => {
  it('marks the values from the words with their span, the rest as defaults', () => {
    const goal = 'Ollama on g5.xlarge in us-west-2, keep it running through the weekend';
    const s = specOf(goal);
    const p = s.provenance ?? {};
    expect(p['params.instanceTypes']).toEqual({ source: 'words', span: { start: 10, end: 19, text: 'g5.xlarge' } });
    expect(p.region).toEqual({ source: 'words', span: { start: 23, end: 32, text: 'us-west-2' } });
    expect(p['params.schedule']?.span?.text).toBe('keep it running through the weekend');
    expect(p['params.volumeGb']).toEqual({ source: 'default' });
    expect(p['budget.monthlyUsd']).toEqual({ source: 'default' });
    const line = s.rationale.find((r) => r.startsWith('Where values came from'));
    expect(line).toContain('instanceTypes g5.xlarge ← your words');
    expect(line).toContain("schedule none ← 'keep it running through the weekend'");
  });

  it('shows the budget, region and stack values themselves, not "none"', () => {
    const s = specOf('ollama on g6.xlarge in ca-central-1, capped at $450 a month, stack infer-lab');
    const line = s.rationale.find((r) => r.startsWith('Where values came from')) ?? '';
    expect(line).toContain('budget.monthlyUsd 450 ← your words');
    expect(line).toContain('region ca-central-1 ← your words');
    expect(line).toContain('stack infer-lab ← your words');
    expect(line).not.toMatch(/(?:budget\.monthlyUsd|region|stack) none/);
  });

  it('shows a size with the words it was written in, whatever the unit', () => {
    const goal = 'k3s on proxmox, 3 agents, 6 vcpus / 24 gigs, 120 GB disk';
    const s = specOf(goal);
    const p = s.provenance ?? {};
    expect(p['params.memoryMb']).toEqual({ source: 'words', span: { start: 36, end: 43, text: '24 gigs' } });
    expect(p['params.diskGb']?.span?.text).toBe('120 GB disk');
    const line = s.rationale.find((r) => r.startsWith('Where values came from')) ?? '';
    expect(line).toContain("memoryMb 24576 ← '24 gigs'");
    expect(line).toContain("cores 6 ← '6 vcpus'");
  });

  it('marks unchanged values of a change request as the current spec', () => {
    const p = specOf('scale ollama-prod to 3', true).provenance ?? {};
    expect(p['params.desiredCapacity']?.source).toBe('words');
    expect(p['params.instanceTypes']).toEqual({ source: 'current-spec' });
    expect(p.stack?.source).toBe('words');
  });

  it('marks a value the model filled as llm, and nothing the person wrote', () => {
    const rr = readWithRules('ollama on g4dn.xlarge', makeCtx(false));
    if (rr.result.kind !== 'draft' || !rr.facts || !rr.result.draft.provenance) throw new Error('no draft');
    const draft = rr.result.draft;
    const reply = { ...draft.params, instanceTypes: ['g5.xlarge'], volumeGb: 250 };
    const merged = mergeLlmParams(draft, reply, rr.facts, []);
    const p = markModelValues(rr.result.draft.provenance, draft.params, merged);
    expect(p['params.volumeGb']).toEqual({ source: 'llm' });
    expect(p['params.instanceTypes']?.source).toBe('words');
  });
});
