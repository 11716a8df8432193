import type { ValidationResult } from '../../contracts/index.js';
import { signedUsd, usd } from '../util/format-usd.js';

/** One line for history and chat: the verdict, what blocks, and the cost. */
export function summarizeFindings(v: ValidationResult): string {
  const blocking = v.findings.filter((f) => !f.waived && (f.severity === 'HIGH' || f.severity === 'CRITICAL'));
  const cost = `${usd(v.cost.monthlyUsd)}/month (${signedUsd(v.cost.diffMonthlyUsd)})`;
  if (v.verdict === 'PASS') return `PASS: ${v.findings.length} finding(s), none blocking; ${cost}`;
  const top = blocking.slice(0, 3).map((f) => `${f.ruleId} ${f.address}: ${f.message}`);
  return `FAIL: ${blocking.length} blocking finding(s): ${top.join('; ')}${blocking.length > 3 ? '; …' : ''}; ${cost}`;
}
