import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { checkPlanSpec, type PlanSpec } from '../../../../contracts/index.js';
import { DEFAULT_ATLAS_DEFAULTS, parseGoal, type AtlasContext } from '../../../../src/agents/atlas/draft-plan.js';
import { repoPath } from '../../../support/paths.js';

const dir = `${repoPath('test', 'fixtures', 'goals')}/`;

export interface CorpusEntry {
  goal: string;
  expect: Record<string, unknown>;
  ctx?: 'stacks';
  stack?: string;
}

/** An entry of the corpus by phrasing family; `heldout` entries are kept out of tuning. */
export interface FamilyEntry extends CorpusEntry {
  family: string;
  split: 'tune' | 'heldout';
}

export const corpus = JSON.parse(readFileSync(`${dir}corpus.json`, 'utf8')) as CorpusEntry[];
export const families = JSON.parse(readFileSync(`${dir}families.json`, 'utf8')) as FamilyEntry[];
export const currentSpecs = JSON.parse(readFileSync(`${dir}current-specs.json`, 'utf8')) as Record<string, PlanSpec>;

/** A context whose stacks are the fixture specs (or none). */
export function makeCtx(withStacks: boolean, extra: Partial<AtlasContext> = {}): AtlasContext {
  return {
    defaults: DEFAULT_ATLAS_DEFAULTS,
    currentSpec: (s) => (withStacks ? structuredClone(currentSpecs[s]) : undefined),
    ...extra,
  };
}

/** The spec Atlas drafts from `goal`; anything else fails the test with what Atlas said. */
export function specOf(goal: string, ctx: AtlasContext = makeCtx(false)): PlanSpec {
  const out = parseGoal(goal, ctx);
  if (out.kind !== 'spec') throw new Error(`${goal}: ${out.kind} ${JSON.stringify(out).slice(0, 300)}`);
  return out.spec;
}

/** Why Atlas refused `goal` as invalid, or what it did instead. */
export function refusalOf(goal: string, ctx: AtlasContext): string {
  const out = parseGoal(goal, ctx);
  return out.kind === 'invalid' ? out.message : `${out.kind}: not refused`;
}

/** Reads a dotted path ("params.schedule.stop") from an object. */
export function pick(obj: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
}

/** What the parser got wrong about one entry's key fields; null in an expectation means "absent". */
export function mismatches(entry: CorpusEntry): string[] {
  const ctx = makeCtx(entry.ctx === 'stacks', entry.stack ? { stack: entry.stack } : {});
  const out = parseGoal(entry.goal, ctx);
  const { kind = 'spec', ...fields } = entry.expect;
  if (out.kind !== kind) return [`kind ${out.kind} (want ${String(kind)}): ${JSON.stringify(out).slice(0, 300)}`];
  if (out.kind !== 'spec') return [];
  const bad: string[] = [];
  if (!checkPlanSpec(out.spec).ok) bad.push('spec fails checkPlanSpec');
  for (const [path, want] of Object.entries(fields)) {
    const got = pick(out.spec, path);
    if (!isDeepStrictEqual(got ?? null, want))
      bad.push(`${path} = ${JSON.stringify(got)} (want ${JSON.stringify(want)})`);
  }
  return bad;
}
