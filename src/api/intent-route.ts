import type { FastifyInstance } from 'fastify';
import { planLinks, type ApiDeps } from './api-deps.js';
import { IntentBody } from './api-schemas.js';
import { intentGoal } from './intent-goal.js';
import { refusalProblem } from './refusal-problem.js';
import { sendProblem } from './send-problem.js';

/** POST /api/v1/intent: a goal in words, submitted as the caller, exactly as `crew plan` does. */
export function registerIntentRoute(app: FastifyInstance, deps: ApiDeps): void {
  app.post<{ Body: IntentBody }>('/api/v1/intent', { schema: { body: IntentBody } }, async (request, reply) => {
    const r = await deps.ops.submitGoal(intentGoal(request.body, request.identity), 'api');
    if (!r.ok) return sendProblem(reply, refusalProblem(r));
    const links = planLinks(r.value.id);
    return reply.code(202).header('location', links.self).send({ planId: r.value.id, state: r.value.state, links });
  });
}
