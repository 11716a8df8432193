import type { AccessRules } from '../../access/access-policy.js';
import { checkAdminAccess } from '../../access/check-access.js';
import { normalizeIdentity } from '../../access/normalize-identity.js';
import type { PlanStore } from '../../store/plan-store.js';
import type { StackStore } from '../../store/stack-store.js';
import type { DriftSnooze, DriftStore } from '../../store/drift-store.js';

const MAX_SNOOZE_DAYS = 90;

export type SnoozeOutcome = { ok: true; snooze: DriftSnooze } | { ok: false; refusal: string };

/** `2026-12-24` (end of that day, UTC) or a full ISO date-time; undefined when it is neither. */
export function parseSnoozeUntil(text: string): Date | undefined {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const d = day
    ? new Date(`${text}T23:59:59Z`)
    : /^\d{4}-\d{2}-\d{2}T[\d:.]+(?:Z|[+-]\d{2}:\d{2})$/.test(text)
      ? new Date(text)
      : undefined;
  return d && Number.isFinite(d.getTime()) ? d : undefined;
}

export interface SnoozeDriftOptions {
  store: DriftStore;
  stacks: StackStore;
  plans: PlanStore;
  access: Pick<AccessRules, 'approvers'>;
  now: Date;
}

/**
 * Silences drift reports of a stack until a date: approvers only, at most 90 days, recorded in
 * the audit trail of the applied plan. Bad input changes nothing.
 */
export async function snoozeDrift(
  o: SnoozeDriftOptions,
  stack: string,
  untilText: string,
  byRaw: string,
): Promise<SnoozeOutcome> {
  const who = normalizeIdentity(byRaw, 'identity');
  if (!who.ok) return { ok: false, refusal: who.refusal };
  const denied = checkAdminAccess(o.access, who.id, 'snooze drift reports');
  if (denied) return { ok: false, refusal: denied };
  const until = parseSnoozeUntil(untilText);
  if (!until)
    return { ok: false, refusal: `"${untilText.slice(0, 40)}" is not a date: use YYYY-MM-DD or an ISO date-time` };
  if (until.getTime() <= o.now.getTime()) return { ok: false, refusal: `${until.toISOString()} is not in the future` };
  if (until.getTime() - o.now.getTime() > MAX_SNOOZE_DAYS * 86_400_000)
    return { ok: false, refusal: `a snooze lasts at most ${MAX_SNOOZE_DAYS} days` };
  const current = await o.stacks.current(stack);
  if (!current?.spec) return { ok: false, refusal: `no applied stack named ${JSON.stringify(stack.slice(0, 40))}` };
  const snooze = { until: until.toISOString(), by: who.id, at: o.now.toISOString() };
  await o.store.snooze(stack, snooze);
  await o.plans.audit(current.planId, {
    at: snooze.at,
    by: who.id,
    action: 'drift-snooze',
    refusal: `drift reports of stack ${stack} snoozed until ${snooze.until}`,
  });
  return { ok: true, snooze };
}
