import type { ApiSettings } from '../config/read-api-settings.js';
import { planPageUrl } from './sign-plan-link.js';

/**
 * The signed "Full plan" link for a Slack review, or undefined unless both CREW_LINK_SECRET and
 * CREW_PUBLIC_URL are set. It works for CREW_LINK_TTL_HOURS (default 72) from now.
 */
export function fullPlanUrl(
  api: Pick<ApiSettings, 'linkSecret' | 'publicUrl' | 'linkTtlSec'>,
  planId: string,
  nowMs = Date.now(),
): string | undefined {
  if (!api.linkSecret || !api.publicUrl) return undefined;
  return planPageUrl({ publicUrl: api.publicUrl, secret: api.linkSecret, planId, ttlSec: api.linkTtlSec, nowMs });
}
