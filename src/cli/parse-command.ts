import type { PlanSpec } from '../../contracts/index.js';
import { draftPlan, type AtlasContext } from '../agents/atlas/draft-plan.js';
import { listNotUnderstood } from '../agents/atlas/list-not-understood.js';
import { redactText } from '../log/redact-text.js';

export interface ParseCommandOptions {
  stack?: string;
  json?: boolean;
}

export interface ParseCommandIo {
  out: (s: string) => void;
  err: (s: string) => void;
}

function renderSpec(spec: PlanSpec): string {
  const lines = [
    `${spec.blueprint} → stack ${spec.stack} (target ${spec.target}${spec.region ? `, region ${spec.region}` : ''})`,
    `parsed by: ${spec.parsedBy}${spec.tokens ? ` (${spec.tokens.prompt}+${spec.tokens.completion} tokens)` : ''}`,
    `risk: ${spec.risk.level}${spec.risk.destructive ? ', destructive' : ''}`,
    `budget: ${spec.budget.monthlyUsd === null ? 'none' : `$${spec.budget.monthlyUsd}/month`} (brake at ${Math.round(spec.budget.brakeRatio * 100)} %)`,
    'params:',
    ...JSON.stringify(spec.params, null, 2)
      .split('\n')
      .map((l) => `  ${l}`),
    'rationale:',
    ...spec.rationale.map((r) => `  - ${r}`),
    'diagram:',
    ...spec.diagram.split('\n').map((l) => `  ${l}`),
  ];
  return lines.join('\n');
}

/**
 * `crew parse <goal>`: prints the PlanSpec Atlas would draft. Exit codes: 0 a spec,
 * 2 blocked (a refusal with its reasons), 1 bad input.
 */
export async function runParseCommand(
  goal: string,
  opts: ParseCommandOptions,
  ctx: AtlasContext,
  io: ParseCommandIo,
): Promise<number> {
  // Read as crew plan would store it: a pasted secret is redacted before Atlas sees the goal.
  const outcome = await draftPlan(redactText(goal), opts.stack ? { ...ctx, stack: opts.stack } : ctx);
  if (outcome.kind === 'invalid') {
    io.err(`invalid goal: ${outcome.message}`);
    return 1;
  }
  if (outcome.kind === 'blocked') {
    if (opts.json)
      io.out(
        JSON.stringify(
          { reason: outcome.reason, rationale: outcome.rationale, notUnderstood: listNotUnderstood(outcome.rationale) },
          null,
          2,
        ),
      );
    else io.out([`blocked: ${outcome.reason}`, ...outcome.rationale.map((r) => `  - ${r}`)].join('\n'));
    return 2;
  }
  const s = outcome.spec;
  if (opts.json) {
    const { blueprint, stack, target, region, params, budget, risk, rationale, diagram, parsedBy, provenance, tokens } =
      s;
    io.out(
      JSON.stringify(
        {
          blueprint,
          stack,
          target,
          region,
          params,
          budget,
          risk,
          rationale,
          diagram,
          parsedBy,
          ...(provenance ? { provenance } : {}),
          notUnderstood: listNotUnderstood(rationale),
          ...(tokens ? { tokens } : {}),
        },
        null,
        2,
      ),
    );
  } else {
    io.out(renderSpec(s));
  }
  return 0;
}
