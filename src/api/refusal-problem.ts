import type { OperationRefusal } from '../conductor/plan-operations.js';
import type { Problem } from './send-problem.js';

/** A refusal from the shared operations as the API states it: the same words, an HTTP status. */
export function refusalProblem(r: Pick<OperationRefusal, 'code' | 'refusal'>, conflict = false): Problem {
  if (r.code === 'bad-input') return { status: 400, title: 'Bad Request', detail: r.refusal };
  if (r.code === 'not-found') return { status: 404, title: 'Not Found', detail: r.refusal };
  return conflict
    ? { status: 409, title: 'Conflict', detail: r.refusal }
    : { status: 403, title: 'Forbidden', detail: r.refusal };
}
