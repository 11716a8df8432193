import { describe, expect, it } from 'vitest';
import { DEFAULT_ATLAS_DEFAULTS } from '../../../../src/agents/atlas/default-atlas-defaults.js';
import { parseGoal } from '../../../../src/agents/atlas/parse-goal.js';
import { keptPatterns } from '../../../../src/util/regexps.js';

// Atlas keeps its patterns for the process's life (src/util/regexps.ts). A pattern built from
// a goal's own words (a stack name, a number, a noun) is used for that goal only: kept, it would
// fill the table with every goal a long-running crew ever read.
describe("Atlas's kept patterns", () => {
  it('do not grow with the goals read: 60 goals with their own names, numbers and budgets', () => {
    // Every other goal corrects itself ("3 instances — no wait, make that 4 instances"): the noun said again is read too.
    const goal = (i: number) =>
      i % 2 === 0
        ? `private Ollama on spot g4dn.xlarge, ${2 + (i % 7)} instances, budget $${310 + i}/month, stack team-${i}-gpu, ticket OPS-${900 + i}`
        : `private Ollama on spot g4dn.xlarge, ${2 + (i % 5)} instances — no wait, make that ${3 + (i % 5)} instances, stack team-${i}-gpu`;
    const read = (i: number) => {
      const r = parseGoal(goal(i), { defaults: DEFAULT_ATLAS_DEFAULTS });
      if (r.kind !== 'spec') throw new Error(`goal ${i} did not read to a spec: ${r.kind}`);
      return r.spec;
    };
    // The first reads make the code's own patterns.
    for (let i = 0; i < 3; i++) read(i);
    const after = keptPatterns();
    expect(after).toBeGreaterThan(50);
    for (let i = 3; i < 60; i++) {
      const spec = read(i);
      expect(spec.stack).toBe(`team-${i}-gpu`);
      // The correction was read: the later count is the one planned.
      if (i % 2 === 1) expect(spec.params).toMatchObject({ maxSize: 3 + (i % 5) });
    }
    expect(keptPatterns()).toBe(after);
  });
});
