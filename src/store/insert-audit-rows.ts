import type { Pool } from 'pg';
import type { AuditRow } from './audit-sink.js';

/**
 * Appends rows to crew_audit in one statement (one transaction); a row already there (same
 * plan and entry key: a retried write) is skipped, so writing twice is harmless.
 */
export async function insertAuditRows(pool: Pool, rows: readonly AuditRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await pool.query(
    `insert into crew_audit (plan_id, entry_key, kind, seq, from_state, to_state, event, actor, surface,
                             reason, plan_sha256, stack, at)
     select r."planId", r."entryKey", r.kind, r.seq, r."from", r."to", r.event, r.actor, r.surface,
            coalesce(r.reason, ''), r."planSha256", r.stack, r.at
       from jsonb_to_recordset($1::jsonb) as r("planId" text, "entryKey" text, kind text, seq integer,
            "from" text, "to" text, event text, actor text, surface text, reason text, "planSha256" text,
            stack text, at timestamptz)
     on conflict (plan_id, entry_key) do nothing`,
    [JSON.stringify(rows)],
  );
  return result.rowCount ?? 0;
}
