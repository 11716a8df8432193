import type { AuditRow } from '../store/audit-sink.js';

const COLUMNS = [
  'at',
  'planId',
  'kind',
  'seq',
  'from',
  'to',
  'event',
  'actor',
  'surface',
  'stack',
  'planSha256',
  'reason',
] as const;

/** One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break. */
function csvField(value: unknown): string {
  const text = value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function auditCsv(rows: readonly AuditRow[]): string {
  const lines = [COLUMNS.join(','), ...rows.map((r) => COLUMNS.map((c) => csvField(r[c])).join(','))];
  return lines.join('\n');
}

/** One line per entry, for people. */
export function auditText(rows: readonly AuditRow[]): string {
  if (rows.length === 0) return 'no audit entries';
  return rows
    .map((r) => {
      const what = r.kind === 'transition' ? `${r.from} → ${r.to}` : `${r.kind} ${r.event ?? ''}`.trim();
      const stack = r.stack ? ` [${r.stack}]` : '';
      return `${r.at}  ${r.planId}${stack}  ${what}  by ${r.actor}${r.reason ? `: ${r.reason}` : ''}`;
    })
    .join('\n');
}
