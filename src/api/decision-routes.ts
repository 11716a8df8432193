import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { planJson } from '../plan/render-plan.js';
import { planLinks, type ApiDeps } from './api-deps.js';
import { ApproveBody, PlanParams, RejectBody, RollbackBody } from './api-schemas.js';
import { refusalProblem } from './refusal-problem.js';
import { sendProblem } from './send-problem.js';
import { withSurface } from '../store/audit-surface.js';

type DecisionRequest = FastifyRequest<{
  Params: PlanParams;
  Body: { planSha256?: string; reason?: string; confirm?: string };
}>;

/**
 * Approve or reject through PlanOperations.decide, as the CLI's `--sha` and Slack's button do:
 * the binding, the double-click guard and the audit are the operation's. A decision bound to a
 * plan file that is no longer the plan's is a 409 naming the current one.
 */
async function decide(deps: ApiDeps, decision: 'approve' | 'reject', request: DecisionRequest, reply: FastifyReply) {
  const { id } = request.params;
  const { planSha256: sha, reason, confirm } = request.body;
  const r = await deps.ops.decide(id, decision, request.identity, 'api', {
    ...(reason ? { reason } : {}),
    ...(confirm !== undefined ? { confirm } : {}),
    ...(sha !== undefined ? { sha } : {}),
  });
  if (!r.ok) {
    if (!('plan' in r) || !r.plan) return sendProblem(reply, refusalProblem(r));
    const current = r.plan;
    const conflict = r.stale === true || current.state !== 'WAIT_FOR_APPROVE';
    return sendProblem(reply, {
      ...refusalProblem(r, conflict),
      extra: {
        state: current.state,
        currentPlanSha256: current.planSha256 ?? null,
        ...(r.stepUp ? { confirmStack: r.stepUp.stack } : {}),
      },
    });
  }
  const plan = r.value.plan;
  return reply.code(202).send({
    planId: plan.id,
    decision,
    decisionId: r.value.decisionId,
    planSha256: r.value.planSha256,
    state: plan.state,
    links: { ...planLinks(plan.id), decision: `${planLinks(plan.id).self}/decisions/${r.value.decisionId}` },
  });
}

export function registerDecisionRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.post<{ Params: PlanParams; Body: ApproveBody }>(
    '/api/v1/plans/:id/approve',
    { schema: { params: PlanParams, body: ApproveBody } },
    (request, reply) => withSurface('api', () => decide(deps, 'approve', request, reply)),
  );
  app.post<{ Params: PlanParams; Body: RejectBody }>(
    '/api/v1/plans/:id/reject',
    { schema: { params: PlanParams, body: RejectBody } },
    (request, reply) => withSurface('api', () => decide(deps, 'reject', request, reply)),
  );
  app.post<{ Params: PlanParams; Body: RollbackBody }>(
    '/api/v1/plans/:id/rollback',
    { schema: { params: PlanParams, body: RollbackBody } },
    async (request, reply) => {
      const r = await withSurface('api', () =>
        deps.ops.requestRollback(request.params.id, request.identity, request.body.reason),
      );
      if (r.ok) return reply.code(202).send({ ...planJson(r.value), links: planLinks(r.value.id) });
      const now = await deps.ops.find(request.params.id);
      const conflict = now.ok && now.value.state !== 'DONE';
      return sendProblem(reply, refusalProblem(r, conflict));
    },
  );
}
