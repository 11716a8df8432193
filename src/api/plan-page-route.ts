import type { FastifyInstance } from 'fastify';
import { readPlanPage } from '../plan-page/read-plan-page.js';
import { PLAN_PAGE_CSP, renderPlanPage } from '../plan-page/render-plan-page.js';
import { readTopChanges } from '../slack/read-top-changes.js';
import type { ApiDeps } from './api-deps.js';
import { PlanPageQuery, PlanParams } from './api-schemas.js';
import { refusalProblem } from './refusal-problem.js';
import { sendProblem } from './send-problem.js';

/** GET /plans/{id}: the whole plan as one read-only HTML page, for a token or a signed link (see create-api-app). */
export function registerPlanPageRoute(app: FastifyInstance, deps: ApiDeps): void {
  app.get<{ Params: PlanParams; Querystring: PlanPageQuery }>(
    '/plans/:id',
    { schema: { params: PlanParams, querystring: PlanPageQuery }, config: { signedLink: true } },
    async (request, reply) => {
      const found = await deps.ops.find(request.params.id);
      if (!found.ok) return sendProblem(reply, refusalProblem(found));
      const view = await readPlanPage(found.value, {
        plans: deps.plans,
        readChanges: (plan) => readTopChanges(plan.planJson, deps.artifacts),
      });
      return reply
        .type('text/html; charset=utf-8')
        .header('content-security-policy', PLAN_PAGE_CSP)
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'no-referrer')
        .header('cache-control', 'no-store')
        .send(renderPlanPage(view));
    },
  );
}
