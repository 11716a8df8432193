import { readFileSync } from 'node:fs';
import type { PlanSpec } from '../../../../contracts/index.js';
import { DEFAULT_ATLAS_DEFAULTS, type AtlasContext } from '../../../../src/agents/atlas/draft-plan.js';
import { repoPath } from '../../../support/paths.js';

const dir = `${repoPath('test', 'fixtures', 'goals')}/`;

export interface CorpusEntry {
  goal: string;
  expect: Record<string, unknown>;
  ctx?: 'stacks';
  stack?: string;
}

export const corpus = JSON.parse(readFileSync(`${dir}corpus.json`, 'utf8')) as CorpusEntry[];
export const currentSpecs = JSON.parse(readFileSync(`${dir}current-specs.json`, 'utf8')) as Record<string, PlanSpec>;

/** A context whose stacks are the fixture specs (or none). */
export function makeCtx(withStacks: boolean, extra: Partial<AtlasContext> = {}): AtlasContext {
  return {
    defaults: DEFAULT_ATLAS_DEFAULTS,
    currentSpec: (s) => (withStacks ? structuredClone(currentSpecs[s]) : undefined),
    ...extra,
  };
}

/** Reads a dotted path ("params.schedule.stop") from an object. */
export function pick(obj: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
}
