import type { FastifyReply } from 'fastify';

/** An RFC 9457 problem detail; `extra` carries members a client acts on (e.g. the current sha). */
export interface Problem {
  status: number;
  title: string;
  detail: string;
  extra?: Record<string, unknown>;
}

/**
 * Every error the API answers, in one shape: `application/problem+json`. The type is
 * `about:blank` (the title is the status's phrase); what differs is in `detail` and the extras.
 */
export function sendProblem(reply: FastifyReply, p: Problem): FastifyReply {
  return reply
    .code(p.status)
    .type('application/problem+json')
    .send({
      type: 'about:blank',
      title: p.title,
      status: p.status,
      detail: p.detail,
      instance: reply.request.url.split('?')[0],
      ...p.extra,
    });
}
