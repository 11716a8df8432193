import type { PlanState } from '../../src/plan/plan-states.js';
import type { Transition } from '../../src/plan/plan-record.js';
import { PATH_TO_DONE, PATH_TO_ROLLED_BACK } from '../support/plan-paths.js';

/** What the test found about one plan once the run is over. */
export interface PlanFacts {
  id: string;
  stack: string;
  expected: 'DONE' | 'ROLLED_BACK';
  state: PlanState | 'MISSING';
  history: Transition[];
  currentVersion: number;
  /** Plan ids of every version recorded for the stack, in order. */
  versions: string[];
  addresses: string[];
  /** What the plan's own spec renders: the resources a DONE stack must hold. */
  specAddresses: string[];
}

export function formatHistory(history: readonly Transition[]): string {
  // A failure keeps its whole reason (Terraform's last lines): it is what a failed run is read for.
  return history
    .map((h) => `${h.from}→${h.to} [${h.event} by ${h.by}: ${h.reason.slice(0, h.to === 'FAILED' ? 2_000 : 160)}]`)
    .join('\n      ');
}

/** Drops each APPLY_STALE detour: from the stale verdict to the fresh approval that follows it. */
export function withoutStaleDetours(history: readonly Transition[]): Transition[] {
  const out: Transition[] = [];
  let detour = false;
  for (const h of history) {
    if (h.event === 'APPLY_STALE') detour = true;
    else if (!detour) out.push(h);
    else if (h.from === 'WAIT_FOR_APPROVE' && h.to === 'APPLYING') detour = false;
  }
  return out;
}

/** The history is one unbroken chain from DRAFTING, with no step taken twice and one apply. */
export function historyProblems(history: readonly Transition[], path: readonly PlanState[]): string[] {
  const problems: string[] = [];
  if (history[0] && history[0].from !== 'DRAFTING')
    problems.push(`history starts from ${history[0].from}, not DRAFTING`);
  for (let i = 1; i < history.length; i++) {
    const prev = history[i - 1]!;
    const cur = history[i]!;
    if (cur.from !== prev.to)
      problems.push(`history broken at #${i}: ${prev.from}→${prev.to} then ${cur.from}→${cur.to}`);
  }
  // A stale plan (Terraform stopped part-way when its worker died) is re-planned and approved
  // afresh: a legitimate detour, not a repeat. Judge the path without it.
  const main = withoutStaleDetours(history);
  const steps = main.map((h) => `${h.from}→${h.to}`);
  const repeated = [...new Set(steps.filter((s, i) => steps.indexOf(s) !== i))];
  if (repeated.length) problems.push(`transitions repeated: ${repeated.join(', ')}`);
  const applies = steps.filter((s) => s === 'APPLYING→DONE').length;
  if (applies !== 1) problems.push(`${applies} APPLYING→DONE transitions (expected exactly 1)`);
  const to = main.map((h) => h.to).join(' ');
  if (to !== path.join(' ')) problems.push(`path ${to || '(empty)'}; expected ${path.join(' ')}`);
  return problems;
}

/** Everything wrong with one plan's end state; empty when it is as it must be. */
export function planProblems(f: PlanFacts): string[] {
  const problems: string[] = [];
  if (f.state !== f.expected) problems.push(`state ${f.state}, expected ${f.expected}`);
  problems.push(...historyProblems(f.history, f.expected === 'DONE' ? PATH_TO_DONE : PATH_TO_ROLLED_BACK));
  // One version per apply: a second one means the stack was applied twice.
  if (f.versions.length !== 1 || f.versions[0] !== f.id)
    problems.push(`stack versions recorded: [${f.versions.join(', ')}], expected exactly [${f.id}]`);
  const wantVersion = f.expected === 'DONE' ? 1 : 0;
  if (f.currentVersion !== wantVersion)
    problems.push(`stack ${f.stack} is at version ${f.currentVersion}, expected ${wantVersion}`);
  const want = f.expected === 'DONE' ? f.specAddresses : [];
  if (f.expected === 'DONE' && want.length === 0)
    problems.push('the plan has no spec to compare its Terraform state with');
  if ([...f.addresses].sort().join(',') !== [...want].sort().join(',')) {
    problems.push(
      `terraform state of ${f.stack} holds ${f.addresses.length} resources, expected ${want.length}: [${f.addresses.slice(0, 6).join(', ')}${f.addresses.length > 6 ? ', …' : ''}]`,
    );
  }
  return problems;
}
