import { checkPlanSpec } from '../../../contracts/validate-artifact.js';
import type { AtlasContext, AtlasOutcome, Draft } from './atlas-types.js';
import { applyOrgConstraints } from './apply-org-constraints.js';
import { assessRisk } from './assess-risk.js';
import { describeParams } from './describe-params.js';
import { drawDiagram } from './draw-diagram.js';
import { describeProvenance } from './trace-provenance.js';
import { refuseTemplateMarkers } from './refuse-template-markers.js';

const clip = (s: string) => (s.length > 1000 ? `${s.slice(0, 997)}...` : s);

/** Template markers, policy, risk and diagram, then the contract check every spec outcome must pass. */
export function finishSpec(
  draft: Draft,
  ctx: AtlasContext,
  parsedBy: 'llm' | 'rules',
  tokens?: { prompt: number; completion: number },
): AtlasOutcome {
  const refused = refuseTemplateMarkers(draft) ?? applyOrgConstraints(draft, ctx.constraints);
  if (refused) return { ...refused, rationale: refused.rationale.slice(0, 100).map(clip) };
  const risk = assessRisk(draft);
  const [headline = '', ...rest] = draft.notes;
  const rationale = [
    headline,
    ...describeParams(draft),
    ...(draft.provenance
      ? [
          describeProvenance(draft.provenance, draft.params, {
            region: draft.region,
            stack: draft.stack,
            'budget.monthlyUsd': draft.monthlyUsd ?? undefined,
            'budget.brakeRatio': draft.brakeRatio,
          }),
        ]
      : []),
    ...rest,
    `Risk ${risk.level}${risk.destructive ? ', destructive' : ''}.`,
  ];
  const spec = {
    blueprint: draft.blueprint,
    stack: draft.stack,
    target: draft.target,
    ...(draft.region ? { region: draft.region } : {}),
    params: draft.params,
    budget: { monthlyUsd: draft.monthlyUsd, brakeRatio: draft.brakeRatio },
    risk,
    rationale: [...new Set(rationale)].slice(0, 100).map(clip),
    diagram: drawDiagram(draft).slice(0, 20000),
    parsedBy,
    ...(draft.provenance ? { provenance: draft.provenance } : {}),
    ...(tokens ? { tokens } : {}),
  };
  const checked = checkPlanSpec(spec);
  if (!checked.ok)
    return {
      kind: 'invalid',
      message: `the goal gives values the ${draft.blueprint} blueprint does not accept: ${checked.reason}`,
    };
  return { kind: 'spec', spec: checked.value };
}
