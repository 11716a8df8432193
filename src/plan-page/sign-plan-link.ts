import { createHmac, timingSafeEqual } from 'node:crypto';

/** The query a signed plan-page link carries: when it stops working (unix seconds) and the HMAC. */
export interface PlanLinkQuery {
  expires: string;
  sig: string;
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;

function mac(secret: string, planId: string, expires: string): Buffer {
  // The newline separates the fields: no id/expiry pair can be shifted into another.
  return createHmac('sha256', secret).update(`plan-page\n${planId}\n${expires}`).digest();
}

/** The signature and expiry for one plan's page, valid until `expiresAtSec`. */
export function signPlanLink(secret: string, planId: string, expiresAtSec: number): PlanLinkQuery {
  const expires = String(Math.floor(expiresAtSec));
  return { expires, sig: mac(secret, planId, expires).toString('base64url') };
}

export type LinkVerdict = { ok: true } | { ok: false; reason: string };

/**
 * Whether a link opens this plan's page now: the expiry is a plain integer not yet past, and the
 * signature is the HMAC-SHA256 of this plan id and that expiry (compared in constant time).
 */
export function verifyPlanLink(
  secret: string,
  planId: string,
  q: Partial<Record<keyof PlanLinkQuery, unknown>>,
  nowMs: number,
): LinkVerdict {
  const { expires, sig } = q;
  if (typeof expires !== 'string' || typeof sig !== 'string' || !/^[0-9]{1,12}$/.test(expires) || !ID.test(planId))
    return { ok: false, reason: 'the link is malformed' };
  const given = Buffer.from(sig, 'base64url');
  // Base64url decoding skips stray characters and ignores a last digit's spare bits: only the canonical spelling counts.
  if (given.toString('base64url') !== sig) return { ok: false, reason: 'the link is malformed' };
  const wanted = mac(secret, planId, expires);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted))
    return { ok: false, reason: 'the link signature does not match this plan: ask for a new link' };
  if (Number(expires) * 1000 <= nowMs) return { ok: false, reason: 'the link has expired: ask for a new link' };
  return { ok: true };
}

export interface PlanPageUrlOptions {
  /** CREW_PUBLIC_URL: where people reach the API, without a trailing slash. */
  publicUrl: string;
  secret: string;
  planId: string;
  ttlSec: number;
  nowMs?: number;
}

/** The signed, expiring address of a plan's page, for the Slack review's "Full plan" link. */
export function planPageUrl(o: PlanPageUrlOptions): string {
  const { expires, sig } = signPlanLink(o.secret, o.planId, (o.nowMs ?? Date.now()) / 1000 + o.ttlSec);
  return `${o.publicUrl}/plans/${encodeURIComponent(o.planId)}?expires=${expires}&sig=${sig}`;
}
