import { isChanging, ofType } from '../plan/index-plan.js';
import type { PlanResource } from '../plan/plan-types.js';
import { afterSource } from './inspect-resources.js';
import { linkedBy, type LinkedValues } from './link-resources.js';
import { memoize, type RuleContext } from './rule-types.js';

// Rules can live inside a group (inline `ingress`/`egress`) or beside it, attached by
// `security_group_id`: `aws_security_group_rule` and `aws_vpc_security_group_{ingress,egress}_rule`.
export const ATTACHED_RULE_TYPES = [
  'aws_security_group_rule',
  'aws_vpc_security_group_ingress_rule',
  'aws_vpc_security_group_egress_rule',
];

export interface AttachedRule {
  rule: PlanResource;
  direction: 'ingress' | 'egress';
}

function directionOf(r: PlanResource): 'ingress' | 'egress' {
  if (r.type === 'aws_security_group_rule') return r.after?.type === 'egress' ? 'egress' : 'ingress';
  return r.type.endsWith('ingress_rule') ? 'ingress' : 'egress';
}

/** The group a standalone rule attaches to (by id, else by configuration reference), of either group type. */
export function groupOfRule(ctx: RuleContext, rule: PlanResource): (LinkedValues & { type: string }) | null {
  const src = afterSource(ctx.index, rule);
  if (!src) return null;
  for (const type of ['aws_security_group', 'aws_default_security_group']) {
    const hit = linkedBy(ctx, rule, src, 'security_group_id', type)[0];
    if (hit) return { ...hit, type };
  }
  return null;
}

export interface GroupRules {
  groupType: string;
  rules: AttachedRule[];
}

/** Group address → the standalone rules that will exist after apply and attach to it. */
export function attachedRulesByGroup(ctx: RuleContext): Map<string, GroupRules> {
  return memoize(ctx, 'attachedSgRules', () => {
    const map = new Map<string, GroupRules>();
    for (const rule of ofType(ctx.index, ...ATTACHED_RULE_TYPES)) {
      if (!isChanging(rule) && rule.kind !== 'no-op') continue;
      const group = groupOfRule(ctx, rule);
      if (!group) continue;
      const entry = map.get(group.address) ?? { groupType: group.type, rules: [] };
      entry.rules.push({ rule, direction: directionOf(rule) });
      map.set(group.address, entry);
    }
    return map;
  });
}
