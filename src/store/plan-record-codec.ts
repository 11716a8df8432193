import type { PlanRecord } from '../plan/plan-record.js';

// Fields stored as JSON inside the hash; the rest are plain strings or numbers.
const JSON_FIELDS = new Set([
  'spec',
  'planFile',
  'planJson',
  'summary',
  'validation',
  'outputs',
  'blocked',
  'rollback',
  'drift',
]);
const NUMBER_FIELDS = new Set(['budgetUsd', 'baseVersion', 'version', 'approvalsRequired', 'redraftedAt']);

export function encodeFields(patch: Partial<PlanRecord>): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    out.push(k, JSON_FIELDS.has(k) ? JSON.stringify(v) : String(v));
  }
  return out;
}

export function decodeRecord(hash: Record<string, string>): PlanRecord | undefined {
  if (!hash.id || !hash.state) return undefined;
  const rec: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(hash)) {
    if (JSON_FIELDS.has(k)) rec[k] = JSON.parse(v);
    else if (NUMBER_FIELDS.has(k)) rec[k] = Number(v);
    else rec[k] = v;
  }
  return rec as unknown as PlanRecord;
}
