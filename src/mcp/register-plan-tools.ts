import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { intentGoal } from '../api/intent-goal.js';
import { waitForPlan } from '../conductor/wait-for-plan.js';
import { findPlan } from '../conductor/find-plan.js';
import { RESTING_STATES } from '../plan/plan-states.js';
import { planWithApprovals } from '../conductor/plan-approvals.js';
import { planJson, planText } from '../plan/render-plan.js';
import { readTopChanges } from '../slack/read-top-changes.js';
import type { McpDeps, WhoIsCalling } from './mcp-deps.js';
import {
  PlanHistoryOutput,
  PlanIdInput,
  PlanInfrastructureInput,
  PlanReview,
  PlanStatusInput,
  PlanStatusOutput,
} from './mcp-schemas.js';
import { planReview } from './plan-review.js';
import { toZod } from './to-zod.js';
import { refusal, structured } from './tool-results.js';

// MCP clients give up on a request after 60 s by default: answer before that with the state so far.
const DEFAULT_REVIEW_WAIT_MS = 50_000;

/** plan_infrastructure (the one tool that writes: a new plan, never a decision), plan_status, plan_history. */
export function registerPlanTools(server: McpServer, deps: McpDeps, who: WhoIsCalling): void {
  server.registerTool(
    'plan_infrastructure',
    {
      title: 'Plan an infrastructure change (review only)',
      description:
        'Submits a goal in words (the body of POST /api/v1/intent) as a new plan, waits until it is ready for review, and returns the review: changes, Sentinel findings, cost, rollback preview. It never approves or applies: a human must approve the plan in Slack or with crew approve.',
      inputSchema: toZod(PlanInfrastructureInput),
      outputSchema: toZod(PlanReview),
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    async (args) => {
      const submitted = await deps.ops.submitGoal(intentGoal(args, await who()), 'mcp');
      if (!submitted.ok) return refusal(submitted.refusal);
      const waitMs = deps.reviewWaitMs ?? DEFAULT_REVIEW_WAIT_MS;
      const deadline = Date.now() + waitMs;
      const plan = await waitForPlan(deps.plans, submitted.value.id, [...RESTING_STATES], {
        // `stop` ends the wait at the deadline; the timeout (an error) is only a backstop.
        timeoutMs: waitMs + 60_000,
        ...(deps.pollMs !== undefined ? { fallbackMs: deps.pollMs } : {}),
        // Queued behind another plan on its stack, or still planning: say so now rather than hold the client.
        stop: async (p) => p.queuedBehind !== undefined || Date.now() > deadline,
      });
      const review = planReview(plan, await readTopChanges(plan.planJson, deps.artifacts));
      return structured(review, `${planText(plan)}\n${review.approval}`);
    },
  );

  server.registerTool(
    'plan_status',
    {
      title: 'Plan status',
      description:
        'One plan (with id) or the most recent plans, as `crew status --json` prints them: state, spec, findings, cost, plan file sha256.',
      inputSchema: toZod(PlanStatusInput),
      outputSchema: toZod(PlanStatusOutput),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ id, limit }) => {
      if (id === undefined) return structured({ plans: (await deps.plans.recent(limit ?? 20)).map(planJson) });
      const found = await findPlan(deps.plans, id);
      return found.ok ? structured({ plan: await planWithApprovals(deps.plans, found.value) }) : refusal(found.refusal);
    },
  );

  server.registerTool(
    'plan_history',
    {
      title: 'Plan history',
      description:
        "A plan's transitions in order (from, to, event, at, by, reason), as `crew history --json` prints them.",
      inputSchema: toZod(PlanIdInput),
      outputSchema: toZod(PlanHistoryOutput),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ id }) => {
      const found = await findPlan(deps.plans, id);
      if (!found.ok) return refusal(found.refusal);
      return structured({ planId: found.value.id, transitions: await deps.plans.history(found.value.id) });
    },
  );
}
