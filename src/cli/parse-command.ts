import type { PlanSpec } from '../../contracts/index.js';
import type { AtlasContext } from '../agents/atlas/draft-plan.js';
import { draftGoal, draftGoalWithStacks, specJson } from '../agents/atlas/draft-goal.js';
import type { StackSpecs } from '../agents/atlas/draft-with-stacks.js';
import { listNotUnderstood } from '../agents/atlas/list-not-understood.js';

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
  /** The crew's applied stacks, read as the goal names them; without, `ctx.currentSpec` alone. */
  stacks?: StackSpecs,
): Promise<number> {
  const outcome = stacks
    ? await draftGoalWithStacks(stacks, goal, opts.stack, ctx)
    : await draftGoal(goal, opts.stack, ctx);
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
    io.out(JSON.stringify(specJson(s), null, 2));
  } else {
    io.out(renderSpec(s));
  }
  return 0;
}
