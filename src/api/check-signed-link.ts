import type { FastifyRequest } from 'fastify';
import { verifyPlanLink } from '../plan-page/sign-plan-link.js';

export type LinkAccess = { kind: 'none' } | { kind: 'ok'; identity: string } | { kind: 'refused'; detail: string };

/**
 * Whether the request opens its route with a signed link: only routes marked `signedLink`, only
 * when it carries `sig` or `expires`, and only for the plan id in its path.
 */
export function checkSignedLink(request: FastifyRequest, secret: string | undefined, nowMs: number): LinkAccess {
  if (!request.routeOptions.config?.signedLink) return { kind: 'none' };
  const q = (request.query ?? {}) as Record<string, unknown>;
  if (q.sig === undefined && q.expires === undefined) return { kind: 'none' };
  if (!secret)
    return { kind: 'refused', detail: 'signed links are off here (no CREW_LINK_SECRET): use a bearer token' };
  const id = String((request.params as Record<string, unknown> | undefined)?.id ?? '');
  const v = verifyPlanLink(secret, id, q, nowMs);
  return v.ok ? { kind: 'ok', identity: `link:${id}` } : { kind: 'refused', detail: v.reason };
}
