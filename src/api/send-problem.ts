import type { FastifyReply } from 'fastify';

/** An RFC 9457 problem detail; `extra` carries members a client acts on (e.g. the current sha). */
export interface Problem {
  status: number;
  title: string;
  detail: string;
  extra?: Record<string, unknown>;
}

const TYPE_BASE = 'https://infracrew.dev/problems/';

/** Every error the API answers, in one shape: `application/problem+json`. */
export function sendProblem(reply: FastifyReply, p: Problem): FastifyReply {
  const slug = p.title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  return reply
    .code(p.status)
    .type('application/problem+json')
    .send({
      type: `${TYPE_BASE}${slug}`,
      title: p.title,
      status: p.status,
      detail: p.detail,
      instance: reply.request.url.split('?')[0],
      ...p.extra,
    });
}
