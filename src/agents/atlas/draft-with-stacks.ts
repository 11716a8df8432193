import type { PlanSpec } from '../../../contracts/index.js';
import type { StackStore } from '../../store/stack-store.js';

/** Looks up a standing stack's current spec for a synchronous reader. */
export type SpecLookup = (stack: string) => PlanSpec | undefined;

/** What a draft reads the stacks from: the names that stand, then a stack's current version. */
export type StackSpecs = Pick<StackStore, 'summaries' | 'current'>;

/** The version of each stack a draft saw, by name (a stack not listed stood at version 0). */
export type SeenVersions = Map<string, number>;

/**
 * Runs a draft with the specs of the standing stacks it asks about, and only those: the names
 * that stand are one read; a spec is read when the draft first asks for it, and the draft runs
 * again with it (each run asks no more than the last, plus what the new specs lead it to).
 * The last run had every spec it asked for, so its outcome is what a draft given all the
 * stacks' specs would have given, without reading every stack for every goal.
 *
 * `discover` (a cheap, synchronous reader such as the rules parser) runs first to learn the
 * names, so a costly draft (one that asks a language model) usually runs once. `seen`, when
 * given, gets the version of every stack as the draft saw it: a spec it read, at that spec's
 * version; any other stack, at its version when the names were read.
 */
export async function draftWithStacks<T>(
  stacks: StackSpecs,
  draft: (lookup: SpecLookup) => T | Promise<T>,
  discover?: (lookup: SpecLookup) => unknown,
  seen: SeenVersions = new Map(),
): Promise<T> {
  const summaries = await stacks.summaries();
  const live = new Set<string>();
  for (const [name, s] of summaries) {
    seen.set(name, s.version);
    if (s.live) live.add(name);
  }
  const specs = new Map<string, PlanSpec>();
  const asked = new Set<string>();
  const lookup: SpecLookup = (stack) => {
    if (!live.has(stack)) return undefined;
    const spec = specs.get(stack);
    if (!spec) asked.add(stack);
    // A copy each time: what one run does with it never reaches the next.
    return spec && structuredClone(spec);
  };
  // Reads what the last run asked for and lacked; false when it lacked nothing.
  const readAsked = async (): Promise<boolean> => {
    if (asked.size === 0) return false;
    const names = [...asked];
    asked.clear();
    const read = await Promise.all(names.map((s) => stacks.current(s)));
    names.forEach((s, i) => {
      const row = read[i];
      seen.set(s, row?.version ?? 0);
      if (row?.spec) specs.set(s, row.spec);
      else live.delete(s); // destroyed since the names were read
    });
    return true;
  };
  if (discover)
    do discover(lookup);
    while (await readAsked());
  for (;;) {
    const outcome = await draft(lookup);
    if (!(await readAsked())) return outcome;
  }
}
