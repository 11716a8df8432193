import type { FastifyInstance } from 'fastify';
import { planWithApprovals } from '../conductor/plan-approvals.js';
import { planJson } from '../plan/render-plan.js';
import type { ApiDeps } from './api-deps.js';
import { DecisionParams, PlanParams, PlansQuery } from './api-schemas.js';
import { refusalProblem } from './refusal-problem.js';
import { sendProblem } from './send-problem.js';

/** Reads: the same objects `crew status --json` and `crew history --json` print. */
export function registerPlanRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get<{ Querystring: PlansQuery }>('/api/v1/plans', { schema: { querystring: PlansQuery } }, async (request) => {
    const limit = Math.max(1, Math.min(200, Number(request.query.limit ?? 20) || 20));
    return (await deps.plans.recent(limit)).map(planJson);
  });

  app.get<{ Params: PlanParams }>('/api/v1/plans/:id', { schema: { params: PlanParams } }, async (request, reply) => {
    const r = await deps.ops.find(request.params.id);
    return r.ok ? planWithApprovals(deps.plans, r.value) : sendProblem(reply, refusalProblem(r));
  });

  app.get<{ Params: PlanParams }>(
    '/api/v1/plans/:id/history',
    { schema: { params: PlanParams } },
    async (request, reply) => {
      const r = await deps.ops.find(request.params.id);
      return r.ok ? deps.plans.history(r.value.id) : sendProblem(reply, refusalProblem(r));
    },
  );

  // A decision is 202: the Conductor judges it again (another may have won the race); this is its verdict.
  app.get<{ Params: DecisionParams }>(
    '/api/v1/plans/:id/decisions/:decisionId',
    { schema: { params: DecisionParams } },
    async (request, reply) => {
      const r = await deps.ops.find(request.params.id);
      if (!r.ok) return sendProblem(reply, refusalProblem(r));
      const outcome = await deps.plans.decisionOutcome(r.value.id, request.params.decisionId);
      return outcome ?? { pending: true };
    },
  );
}
