import { describe, expect, it } from 'vitest';
import { auditCsv, auditText } from '../../../src/cli/render-audit.js';
import type { AuditRow } from '../../../src/store/audit-sink.js';

const row: AuditRow = {
  planId: 'p-1',
  kind: 'refusal',
  entryKey: 'r1',
  seq: 1,
  event: 'approve',
  actor: 'mallory',
  reason: 'not an approver, "said" the crew\nsecond line',
  stack: 'dev',
  at: '2026-12-01T10:00:00.000Z',
};

describe('crew audit output', () => {
  it('CSV: a header, one line per entry, fields with commas, quotes or line breaks quoted (RFC 4180)', () => {
    expect(auditCsv([row])).toBe(
      'at,planId,kind,seq,from,to,event,actor,surface,stack,planSha256,reason\n' +
        '2026-12-01T10:00:00.000Z,p-1,refusal,1,,,approve,mallory,,dev,,"not an approver, ""said"" the crew\nsecond line"',
    );
    expect(auditCsv([])).toBe('at,planId,kind,seq,from,to,event,actor,surface,stack,planSha256,reason');
  });

  it('text: one line per entry, transitions as from → to', () => {
    const t: AuditRow = {
      ...row,
      kind: 'transition',
      entryKey: 't1',
      from: 'DRAFTING',
      to: 'PENDING',
      reason: 'parsed',
    };
    expect(auditText([t])).toBe('2026-12-01T10:00:00.000Z  p-1 [dev]  DRAFTING → PENDING  by mallory: parsed');
    expect(auditText([])).toBe('no audit entries');
  });
});
