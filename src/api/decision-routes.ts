import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { planJson } from '../plan/render-plan.js';
import { planLinks, type ApiDeps } from './api-deps.js';
import { ApproveBody, PlanParams, RejectBody, RollbackBody } from './api-schemas.js';
import { refusalProblem } from './refusal-problem.js';
import { sendProblem } from './send-problem.js';
import { withSurface } from '../store/audit-surface.js';

type DecisionRequest = FastifyRequest<{ Params: PlanParams; Body: { planSha256?: string; reason?: string } }>;

/**
 * Approve or reject through PlanOperations.decide, as the CLI's `--sha` and Slack's button do.
 * A decision bound to a plan file that is no longer the plan's is a 409 naming the current one.
 */
async function decide(deps: ApiDeps, decision: 'approve' | 'reject', request: DecisionRequest, reply: FastifyReply) {
  const { id } = request.params;
  const { planSha256: sha, reason } = request.body;
  const by = request.identity;
  const found = await deps.ops.find(id);
  if (!found.ok) return sendProblem(reply, refusalProblem(found));
  const plan = found.value;
  const staleReason = (current: typeof plan) =>
    `you reviewed plan file sha256 ${sha?.slice(0, 12)}, but plan ${current.id} is ${current.state} with ${current.planSha256 ? `plan file ${current.planSha256.slice(0, 12)}` : 'no plan file'}: review the current plan and decide again`;
  const stale = (current: typeof plan) =>
    sendProblem(reply, {
      status: 409,
      title: 'Conflict',
      detail: staleReason(current),
      extra: { state: current.state, currentPlanSha256: current.planSha256 ?? null },
    });
  if (sha !== undefined && sha !== plan.planSha256) {
    await deps.plans.audit(plan.id, { by, action: decision, refusal: staleReason(plan) });
    return stale(plan);
  }
  const r = await deps.ops.decide(plan.id, decision, by, 'api', {
    ...(reason ? { reason } : {}),
    ...(sha !== undefined ? { sha } : {}),
  });
  if (!r.ok) {
    // decide() records refusals while the plan waits for approval; the rest are recorded here, as Slack does.
    if (r.code === 'refused' && plan.state !== 'WAIT_FOR_APPROVE')
      await deps.plans.audit(plan.id, { by, action: decision, refusal: r.refusal });
    const now = await deps.ops.find(plan.id);
    const current = now.ok ? now.value : plan;
    if (sha !== undefined && current.planSha256 !== sha) return stale(current);
    const conflict = current.state !== 'WAIT_FOR_APPROVE';
    return sendProblem(reply, {
      ...refusalProblem(r, conflict),
      extra: { state: current.state, currentPlanSha256: current.planSha256 ?? null },
    });
  }
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
