import { readFileSync } from 'node:fs';
import { readPlanJson } from '../../src/agents/sentinel/plan/read-plan.js';
import type { ParsedPlan } from '../../src/agents/sentinel/plan/plan-types.js';
import { repoPath } from './paths.js';

export const fixturePath = (name: string): string => repoPath('test', 'fixtures', 'plans', name);

export function fixture(name: string): ParsedPlan {
  const r = readPlanJson(readFileSync(fixturePath(name), 'utf8'), name);
  if (!r.ok) throw new Error(r.reason);
  return r.plan;
}
