import { isDeepStrictEqual } from 'node:util';
import type { GoalStatement, ValueSource } from '../../../contracts/index.js';
import type { StackVersion } from '../../store/stack-store.js';
import type { AtlasContext, AtlasOutcome, Draft, Params } from './atlas-types.js';
import { finishSpec } from './finish-spec.js';

const shown = (v: unknown) => (Array.isArray(v) ? v.join(',') : JSON.stringify(v));

/**
 * Drift triage → PlanSpec without reading words: Revert is the stack's applied spec as it is;
 * Adopt is that spec with the params in `drift.set` replaced by the values observed on the
 * infrastructure. Then the same policy, risk, diagram and contract check as any goal, so the
 * plan goes through Forge, Sentinel and approval like every other.
 */
export function draftTriage(goal: GoalStatement, applied: StackVersion | undefined, ctx: AtlasContext): AtlasOutcome {
  const t = goal.drift!;
  const stack = goal.stack;
  const verb = t.action === 'revert' ? 'revert' : 'adopt drift on';
  if (!stack) return { kind: 'invalid', message: `a drift ${t.action} names the stack it is for` };
  const spec = applied?.spec;
  if (!applied || !spec)
    return {
      kind: 'blocked',
      reason: `Stack ${stack} has no applied spec to ${verb}.`,
      rationale: [
        'Revert and Adopt start from the spec of the applied version; this stack has none (never applied, or destroyed).',
      ],
    };
  if (applied.version !== t.version)
    return {
      kind: 'blocked',
      reason: `Stack ${stack} moved on to version ${applied.version} since the drift check compared version ${t.version}.`,
      rationale: ['Check drift again (`crew drift <stack>` or `/crew drift <stack>`) and triage the new report.'],
    };
  const set = t.action === 'adopt' ? (t.set ?? {}) : {};
  const params = { ...spec.params, ...set } as Params;
  if (t.action === 'adopt' && isDeepStrictEqual(params, spec.params))
    return {
      kind: 'blocked',
      reason: `Nothing to adopt: stack ${stack}'s spec already has the observed values.`,
      rationale: [],
    };
  const provenance: Record<string, ValueSource> = { stack: { source: 'current-spec' } };
  for (const key of Object.keys(params))
    provenance[`params.${key}`] = { source: key in set ? 'observed' : 'current-spec' };
  if (spec.region) provenance.region = { source: 'current-spec' };
  provenance['budget.monthlyUsd'] = { source: 'current-spec' };
  const before = spec.params as Record<string, unknown>;
  const headline =
    t.action === 'revert'
      ? `Revert stack ${stack} to its approved spec (version ${applied.version}, plan ${applied.planId}): the plan restores every value changed outside the crew.`
      : `Adopt drift on stack ${stack} (version ${applied.version}, plan ${applied.planId}): ${Object.entries(set)
          .map(([k, v]) => `${k} ${shown(before[k])} → ${shown(v)}`)
          .join(', ')} as observed; anything else that drifted is restored to the approved value.`;
  const draft: Draft = {
    blueprint: spec.blueprint,
    stack,
    target: spec.target,
    ...(spec.region ? { region: spec.region } : {}),
    params,
    monthlyUsd: spec.budget.monthlyUsd,
    brakeRatio: spec.budget.brakeRatio,
    notes: [headline, `Drafted from the applied spec, not from words (drift ${t.action}).`],
    current: spec,
    provenance,
  };
  return finishSpec(draft, ctx, 'rules');
}
