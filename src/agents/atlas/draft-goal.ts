import type { PlanSpec } from '../../../contracts/index.js';
import { redactText } from '../../log/redact-text.js';
import type { AtlasContext, AtlasOutcome } from './atlas-types.js';
import { draftPlan, parseGoal } from './draft-plan.js';
import { draftWithStacks, type SeenVersions, type StackSpecs } from './draft-with-stacks.js';
import { listNotUnderstood } from './list-not-understood.js';

/** What Atlas drafts of a goal, read as `crew plan` would store it: a pasted secret is redacted first. */
export function draftGoal(goal: string, stack: string | undefined, ctx: AtlasContext): Promise<AtlasOutcome> {
  return draftPlan(redactText(goal), stack ? { ...ctx, stack } : ctx);
}

/**
 * draftGoal with the crew's applied stacks, reading only those the goal names (draftWithStacks);
 * with a language model, the rules reader learns their names before the model is asked.
 */
export function draftGoalWithStacks(
  stacks: StackSpecs,
  goal: string,
  stack: string | undefined,
  ctx: AtlasContext,
  seen?: SeenVersions,
): Promise<AtlasOutcome> {
  const withStack = stack ? { ...ctx, stack } : ctx;
  return draftWithStacks(
    stacks,
    (currentSpec) => draftGoal(goal, stack, { ...ctx, currentSpec }),
    ctx.llm ? (currentSpec) => parseGoal(redactText(goal), { ...withStack, currentSpec }) : undefined,
    seen,
  );
}

/** The `--json` shape of a drafted PlanSpec (`crew parse --json`, and the MCP `parse_goal` tool). */
export function specJson(s: PlanSpec): Record<string, unknown> {
  const { blueprint, stack, target, region, params, budget, risk, rationale, diagram, parsedBy, provenance, tokens } =
    s;
  return {
    blueprint,
    stack,
    target,
    ...(region !== undefined ? { region } : {}),
    params,
    budget,
    risk,
    rationale,
    diagram,
    parsedBy,
    ...(provenance ? { provenance } : {}),
    notUnderstood: listNotUnderstood(rationale),
    ...(tokens ? { tokens } : {}),
  };
}
