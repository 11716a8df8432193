import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PlanRecord } from '../../src/plan/plan-record.js';
import { bigPlan } from './plan-fixtures.js';

/**
 * A plan at scale: `changes` resource changes (every 50th a destroy, every 50th+25 a replace,
 * scattered among creates and updates) in a saved plan JSON under `dir`, and `findings` findings
 * of which every 40th is blocking (HIGH/CRITICAL, not waived).
 */
export function scalePlan(dir: string, id: string, changes = 500, findings = 200): PlanRecord {
  const base = bigPlan(findings, 0, id).plan;
  const rows = Array.from({ length: changes }, (_, i) => ({
    address: `aws_instance.node_${i}`,
    change: {
      actions: i % 50 === 7 ? ['delete'] : i % 50 === 32 ? ['delete', 'create'] : i % 3 === 0 ? ['update'] : ['create'],
    },
  }));
  const json = JSON.stringify({ format_version: '1.2', resource_changes: rows });
  const path = join(dir, `${id}.json`);
  writeFileSync(path, json);
  const count = (a: string) => rows.filter((r) => r.change.actions.join('-') === a).length;
  return {
    ...base,
    planJson: { path, sha256: createHash('sha256').update(json).digest('hex') },
    summary: {
      create: count('create'),
      update: count('update'),
      replace: count('delete-create'),
      delete: count('delete'),
      noop: 0,
    },
    validation: {
      ...base.validation!,
      verdict: 'FAIL',
      findings: base.validation!.findings.map((f, i) =>
        i % 40 === 13
          ? {
              ...f,
              ruleId: 'CREW_SG_OPEN_INGRESS',
              severity: i % 80 === 13 ? 'CRITICAL' : 'HIGH',
              message: `ingress open ${i}`,
            }
          : f,
      ),
    },
  };
}
