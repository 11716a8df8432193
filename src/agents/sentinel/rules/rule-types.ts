import type { Finding, Severity } from '../../../../contracts/index.js';
import type { PlanIndex } from '../plan/index-plan.js';
import type { OrgPolicy } from '../policy/policy-types.js';

export type Refs = { checkov?: string[]; trivy?: string[] };

export interface RuleInfo {
  id: string;
  title: string;
  severity: Severity;
  refs?: Refs;
}

export interface RuleContext {
  index: PlanIndex;
  now: Date;
  policy?: OrgPolicy;
  /** AWS region of the plan (provider config, else the caller's default). */
  region?: string;
  /** Per-evaluation cache for work shared by several rules (e.g. the flattened SG rules). */
  memo: Map<string, unknown>;
}

export interface Rule {
  infos: RuleInfo[];
  run(ctx: RuleContext): Finding[];
}

export function memoize<T>(ctx: RuleContext, key: string, make: () => T): T {
  if (ctx.memo.has(key)) return ctx.memo.get(key) as T;
  const value = make();
  ctx.memo.set(key, value);
  return value;
}

export function finding(info: RuleInfo, address: string, message: string, severity: Severity = info.severity): Finding {
  const f: Finding = { ruleId: info.id, severity, address, message };
  if (info.refs) f.refs = info.refs;
  return f;
}

export const UNKNOWN_VALUE: RuleInfo = {
  id: 'CREW_UNKNOWN_VALUE',
  title: 'A value a rule needs is known only after apply',
  severity: 'MEDIUM',
};

/** An unknown value is "needs review", never a silent pass. */
export function unknownFinding(info: RuleInfo, address: string, path: string): Finding {
  const f: Finding = {
    ruleId: UNKNOWN_VALUE.id,
    severity: UNKNOWN_VALUE.severity,
    address,
    message: `needs review: ${path || 'the value'} is known only after apply, so ${info.id} (${info.title}) cannot be verified; set it to a literal or check the applied resource`,
  };
  if (info.refs) f.refs = info.refs;
  return f;
}
