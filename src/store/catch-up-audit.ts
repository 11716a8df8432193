import type { Pool } from 'pg';
import type { AuditRow } from './audit-sink.js';
import { insertAuditRows } from './insert-audit-rows.js';
import type { PlanStore } from './plan-store.js';

/**
 * Copies the recent plans' transitions and refusals from Redis (where each is written in the
 * same step as the state change) to crew_audit, for rows a process lost between that step and
 * its outbox (a kill -9). Rows already there are left as they are; returns how many were added.
 */
export async function catchUpAudit(plans: PlanStore, pool: Pool, limit = 200): Promise<number> {
  let added = 0;
  for (const plan of await plans.recent(limit)) {
    const stack = plan.stack ?? plan.spec?.stack;
    const context = { ...(stack ? { stack } : {}) };
    const transitions: AuditRow[] = (await plans.history(plan.id)).map((t, i) => ({
      planId: plan.id,
      kind: 'transition',
      entryKey: `t${i + 1}`,
      seq: i + 1,
      from: t.from,
      to: t.to,
      event: t.event,
      actor: t.by,
      ...(t.surface ? { surface: t.surface } : {}),
      reason: t.reason,
      at: t.at,
      ...context,
    }));
    const refusals: AuditRow[] = (await plans.auditLog(plan.id)).map((r, i) => ({
      planId: plan.id,
      kind: 'refusal',
      entryKey: `r${i + 1}`,
      seq: i + 1,
      event: r.action,
      actor: r.by,
      ...(r.surface ? { surface: r.surface } : {}),
      reason: r.refusal,
      at: r.at,
      ...context,
    }));
    added += await insertAuditRows(pool, [...transitions, ...refusals]);
  }
  return added;
}
