import type { FastifyInstance } from 'fastify';
import { planLinks, type ApiDeps } from './api-deps.js';
import { IntentBody } from './api-schemas.js';
import { refusalProblem } from './refusal-problem.js';
import { sendProblem } from './send-problem.js';

/** POST /api/v1/intent: a goal in words, submitted as the caller, exactly as `crew plan` does. */
export function registerIntentRoute(app: FastifyInstance, deps: ApiDeps): void {
  app.post<{ Body: IntentBody }>('/api/v1/intent', { schema: { body: IntentBody } }, async (request, reply) => {
    const b = request.body;
    const r = await deps.ops.submitGoal(
      {
        text: b.nl,
        requestedBy: request.identity,
        ...(b.target ? { target: b.target } : {}),
        ...(b.budgetUsd !== undefined ? { budgetUsd: b.budgetUsd } : {}),
        ...(b.stack ? { stack: b.stack } : {}),
      },
      'api',
    );
    if (!r.ok) return sendProblem(reply, refusalProblem(r));
    const links = planLinks(r.value.id);
    return reply.code(202).header('location', links.self).send({ planId: r.value.id, state: r.value.state, links });
  });
}
