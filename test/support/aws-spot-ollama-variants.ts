import type { AwsSpotOllamaSpec } from '../../contracts/index.js';
import { parseGoal } from '../../src/agents/atlas/draft-plan.js';
import { corpus, makeCtx } from '../unit/agents/atlas/atlas-fixtures.js';

export interface SpecVariant {
  /** Short, stable name: the first goal of the corpus that produced these parameters. */
  name: string;
  /** How many corpus phrasings produce the same stack, region and params. */
  phrasings: number;
  spec: AwsSpotOllamaSpec;
}

/**
 * Every distinct aws-spot-ollama PlanSpec the Atlas corpus produces, the way the product
 * drafts it without a model (parseGoal). Phrasings that give identical stack, region and
 * params are one variant (the budget only moves the budget brake, which follows the cost).
 */
export function awsSpotOllamaVariants(): SpecVariant[] {
  const byKey = new Map<string, SpecVariant>();
  for (const entry of corpus) {
    if (entry.expect.blueprint !== 'aws-spot-ollama') continue;
    const out = parseGoal(entry.goal, makeCtx(entry.ctx === 'stacks', entry.stack ? { stack: entry.stack } : {}));
    if (out.kind !== 'spec' || out.spec.blueprint !== 'aws-spot-ollama') continue;
    const s = out.spec;
    const key = JSON.stringify([s.stack, s.region, s.params]);
    const seen = byKey.get(key);
    if (seen) seen.phrasings += 1;
    else byKey.set(key, { name: entry.goal, phrasings: 1, spec: s });
  }
  return [...byKey.values()];
}
