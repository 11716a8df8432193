import type { Pool } from 'pg';
import type { AuditRow } from './audit-sink.js';

export interface AuditQuery {
  /** Entries at or after this instant. */
  since: Date;
  actor?: string;
  stack?: string;
  limit?: number;
}

interface Row {
  plan_id: string;
  entry_key: string;
  kind: AuditRow['kind'];
  seq: number | null;
  from_state: string | null;
  to_state: string | null;
  event: string | null;
  actor: string;
  surface: string | null;
  reason: string;
  plan_sha256: string | null;
  stack: string | null;
  at: Date;
}

/** The audit trail in PostgreSQL, oldest first, as AuditRows. */
export async function readAudit(pool: Pool, q: AuditQuery): Promise<AuditRow[]> {
  const { rows } = await pool.query<Row>(
    `select plan_id, entry_key, kind, seq, from_state, to_state, event, actor, surface, reason, plan_sha256, stack, at
       from crew_audit
      where at >= $1 and ($2::text is null or actor = $2) and ($3::text is null or stack = $3)
      order by at, plan_id, kind, seq, id
      limit $4`,
    [q.since, q.actor ?? null, q.stack ?? null, q.limit ?? 10_000],
  );
  return rows.map((r) => {
    const row: AuditRow = {
      planId: r.plan_id,
      kind: r.kind,
      entryKey: r.entry_key,
      actor: r.actor,
      reason: r.reason,
      at: r.at.toISOString(),
    };
    if (r.seq !== null) row.seq = r.seq;
    if (r.from_state !== null) row.from = r.from_state;
    if (r.to_state !== null) row.to = r.to_state;
    if (r.event !== null) row.event = r.event;
    if (r.surface !== null) row.surface = r.surface;
    if (r.plan_sha256 !== null) row.planSha256 = r.plan_sha256;
    if (r.stack !== null) row.stack = r.stack;
    return row;
  });
}
