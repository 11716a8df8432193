/** One line of the audit trail: a transition, a refusal or an approval decision of one plan. */
export interface AuditRow {
  planId: string;
  kind: 'transition' | 'refusal' | 'decision';
  /** Unique per plan: the same entry written twice is one row (writes are at-least-once). */
  entryKey: string;
  /** The entry's place among the plan's entries of its kind (1-based), when it has one. */
  seq?: number;
  from?: string;
  to?: string;
  event?: string;
  actor: string;
  surface?: string;
  reason: string;
  planSha256?: string;
  stack?: string;
  at: string;
}

/** Where the plan store sends every audit row besides Redis (PostgreSQL when configured). */
export interface AuditSink {
  append(row: AuditRow): Promise<void>;
}

/** No database: the audit trail lives in Redis only. */
export const NO_AUDIT_SINK: AuditSink = { append: async () => undefined };
