import type { CostEstimate, Finding, ValidationResult } from '../../../contracts/index.js';
import { changeOf } from './budget/check-budget.js';
import { isBlocking } from './evaluate-plan.js';
import { RULE_INFO } from './rules/rule-catalog.js';
import { usd } from '../../util/format-usd.js';

// Plain-text report for `crew check`: findings the way checkov prints them, cost the way
// Infracost's breakdown does.

const signed = (n: number): string => (n > 0 ? `+${usd(n)}` : usd(n));

function renderFinding(f: Finding): string[] {
  const title = RULE_INFO.get(f.ruleId)?.title ?? f.message;
  const status = f.waived ? 'WAIVED' : 'FAILED';
  const lines = [
    `Check: ${f.ruleId}: "${title}"`,
    `\t${status} for resource: ${f.address}`,
    `\tSeverity: ${f.severity}`,
    `\tGuide: ${f.message}`,
  ];
  if (f.waived) lines.push(`\tWaived until ${f.waived.expires}: ${f.waived.reason}`);
  const refs = [
    f.refs?.checkov?.length ? `checkov ${f.refs.checkov.join(', ')}` : '',
    f.refs?.trivy?.length ? `trivy ${f.refs.trivy.join(', ')}` : '',
  ].filter(Boolean);
  if (refs.length) lines.push(`\tSee: ${refs.join('; ')}`);
  return lines;
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

function fmtQty(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}

export function renderCostTable(cost: CostEstimate): string[] {
  const rows: [string, string, string, string][] = [];
  for (const r of cost.resources) {
    rows.push([
      r.address,
      '',
      '',
      r.previousMonthlyUsd !== r.monthlyUsd
        ? `${usd(r.monthlyUsd)} (was ${usd(r.previousMonthlyUsd)})`
        : usd(r.monthlyUsd),
    ]);
    r.components.forEach((c, i) => {
      const branch = i === r.components.length - 1 ? '└─' : '├─';
      rows.push([` ${branch} ${c.name}`, fmtQty(c.quantity), c.unit, usd(c.monthly)]);
    });
  }
  const w0 = Math.max(4, ...rows.map((r) => r[0].length));
  const w1 = Math.max(11, ...rows.map((r) => r[1].length));
  const w2 = Math.max(5, ...rows.map((r) => r[2].length));
  const w3 = Math.max(12, ...rows.map((r) => r[3].length));
  const line = (r: [string, string, string, string]) =>
    ` ${pad(r[0], w0)}  ${pad(r[1], w1, true)}  ${pad(r[2], w2)}  ${pad(r[3], w3, true)}`.trimEnd();
  const out = [line(['Name', 'Monthly Qty', 'Unit', 'Monthly Cost']), ...rows.map(line), ''];
  out.push(
    ` Past total   ${usd(cost.previousMonthlyUsd)}/month`,
    ` New total    ${usd(cost.monthlyUsd)}/month`,
    ` Diff         ${signed(cost.diffMonthlyUsd)}/month`,
  );
  for (const u of cost.unpriced) out.push(` Not priced: ${u.address} (${u.reason})`);
  for (const n of cost.notes ?? []) out.push(` Note: ${n}`);
  return out;
}

export function renderCheckReport(result: ValidationResult, source: string): string {
  const blocking = result.findings.filter(isBlocking).length;
  const waived = result.findings.filter((f) => f.waived).length;
  const out = [
    `Sentinel ${result.verdict} for ${source}: ${result.findings.length} finding(s), ${blocking} blocking, ${waived} waived`,
    '',
  ];
  for (const f of result.findings) out.push(...renderFinding(f), '');
  out.push('Monthly cost estimate:', ...renderCostTable(result.cost), '');
  const b = result.budget;
  if (b.monthlyUsd === null)
    out.push(
      `Budget: none set (forecast ${usd(b.forecastUsd)}/month = other stacks ${usd(b.spentUsd)} + this stack ${usd(result.cost.monthlyUsd)}${changeOf(result.cost)})`,
    );
  else {
    out.push(
      `Budget: forecast ${usd(b.forecastUsd)}/month of ${usd(b.monthlyUsd)} (${b.ratio === null ? 'n/a' : `${(b.ratio * 100).toFixed(1)}%`}), brake at ${Math.round(b.brakeRatio * 100)}%: ${b.brake ? 'BRAKE' : 'ok'}`,
    );
  }
  return out.join('\n');
}
