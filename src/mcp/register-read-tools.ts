import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { evaluatePlan } from '../agents/sentinel/evaluate-plan.js';
import { parsePlanObject, readPlanJson } from '../agents/sentinel/plan/read-plan.js';
import { renderCheckReport } from '../agents/sentinel/render-check-report.js';
import { draftGoalWithStacks, specJson } from '../agents/atlas/draft-goal.js';
import type { McpDeps } from './mcp-deps.js';
import {
  CheckPlanJsonInput,
  CheckPlanJsonOutput,
  CostDigestOutput,
  EmptyInput,
  ParseGoalInput,
  ParseGoalOutput,
} from './mcp-schemas.js';
import { toZod } from './to-zod.js';
import { refusal, structured } from './tool-results.js';

const READ_ONLY = { readOnlyHint: true, openWorldHint: false } as const;

/** check_plan_json, parse_goal and cost_digest: each runs one agent's logic and stores nothing. */
export function registerReadTools(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    'check_plan_json',
    {
      title: 'Check a Terraform plan with Sentinel',
      description:
        "Runs Sentinel (security policy and cost, as `crew check` does) on the output of `terraform show -json <planfile>`, under the crew's org policy. Returns the ValidationResult: PASS or FAIL, findings with fixes, cost per resource, budget.",
      inputSchema: toZod(CheckPlanJsonInput),
      outputSchema: toZod(CheckPlanJsonOutput),
      annotations: READ_ONLY,
    },
    async ({ plan, budgetUsd, spentUsd }) => {
      const read = typeof plan === 'string' ? readPlanJson(plan, 'plan') : parsePlanObject(plan, 'plan');
      if (!read.ok) return refusal(read.reason);
      const result = evaluatePlan(read.plan, {
        ...(await deps.sentinelOptions()),
        budgetUsd: budgetUsd ?? null,
        spentUsd: spentUsd ?? 0,
      });
      return structured(result, renderCheckReport(result, 'the supplied plan'));
    },
  );

  server.registerTool(
    'parse_goal',
    {
      title: 'Parse a goal into a PlanSpec',
      description:
        'Shows the PlanSpec Atlas would draft from a goal in words (as `crew parse` does), or why it is blocked; nothing is planned or stored.',
      inputSchema: toZod(ParseGoalInput),
      outputSchema: toZod(ParseGoalOutput),
      annotations: READ_ONLY,
    },
    async ({ nl, stack }) => {
      const outcome = await draftGoalWithStacks(deps.stacks, nl, stack, await deps.atlasContext());
      if (outcome.kind === 'invalid') return refusal(`invalid goal: ${outcome.message}`);
      if (outcome.kind === 'blocked')
        return structured({ outcome: 'blocked', reason: outcome.reason, rationale: outcome.rationale });
      return structured({ outcome: 'spec', planSpec: specJson(outcome.spec) });
    },
  );

  server.registerTool(
    'cost_digest',
    {
      title: 'Cost digest',
      description:
        'The cost digest (as `crew digest --json`): monthly cost per applied stack, Spot and off-hours savings, spend and forecast against the budget brake.',
      inputSchema: toZod(EmptyInput),
      outputSchema: toZod(CostDigestOutput),
      annotations: READ_ONLY,
    },
    async () => structured(await deps.costDigest()),
  );
}
