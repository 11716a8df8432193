import type { Finding } from '../../../../contracts/index.js';
import { describeValue, toBool, toNumber, type Lookup } from '../plan/lookup-value.js';
import { inspectResources, type Check } from '../rules/inspect-resources.js';
import type { RuleContext, RuleInfo } from '../rules/rule-types.js';
import type { AttributeRule } from './policy-types.js';
import { regex } from '../../../util/regexps.js';

function same(a: unknown, b: unknown): boolean {
  const ba = toBool(a);
  const bb = toBool(b);
  if (ba !== null && bb !== null) return ba === bb;
  const na = toNumber(a);
  const nb = toNumber(b);
  if (na !== null && nb !== null) return na === nb;
  return JSON.stringify(a) === JSON.stringify(b) || String(a) === String(b);
}

/** Whether one present value satisfies the rule. */
function satisfies(rule: AttributeRule, v: unknown): boolean {
  const expected = rule.value;
  const num = toNumber(v);
  const lim = toNumber(expected);
  switch (rule.operator) {
    case 'equals':
      return same(v, expected);
    case 'not_equals':
      return !same(v, expected);
    case 'contains':
      return Array.isArray(v) ? v.some((x) => same(x, expected)) : String(v).includes(String(expected));
    case 'not_contains':
      return !(Array.isArray(v) ? v.some((x) => same(x, expected)) : String(v).includes(String(expected)));
    case 'in':
      return Array.isArray(expected) && expected.some((x) => same(v, x));
    case 'not_in':
      return !(Array.isArray(expected) && expected.some((x) => same(v, x)));
    case 'gte':
      return num !== null && lim !== null && num >= lim;
    case 'gt':
      return num !== null && lim !== null && num > lim;
    case 'lte':
      return num !== null && lim !== null && num <= lim;
    case 'lt':
      return num !== null && lim !== null && num < lim;
    case 'matches':
      return regex(String(expected)).test(String(v));
    default:
      return true;
  }
}

// Negative operators are satisfied by an attribute that is not there at all.
const ABSENT_PASSES = new Set(['not_equals', 'not_contains', 'not_in', 'not_exists']);

function judge(rule: AttributeRule, leaves: Lookup[]): Check[] {
  const present = leaves.filter((l) => l.kind === 'value');
  const unknown = leaves.filter((l) => l.kind === 'unknown');
  if (rule.operator === 'exists') {
    if (present.length > 0) return [{ status: 'pass', key: rule.id, observed: `${rule.attribute} set` }];
    if (unknown[0]) return [{ status: 'unknown', key: rule.id, path: unknown[0].path }];
    return [
      {
        status: 'fail',
        key: rule.id,
        observed: `${rule.attribute} unset`,
        message: `${rule.message} (${rule.attribute} is not set)`,
      },
    ];
  }
  if (rule.operator === 'not_exists') {
    if (present[0])
      return [
        {
          status: 'fail',
          key: rule.id,
          observed: `${rule.attribute} set`,
          message: `${rule.message} (${rule.attribute} is set)`,
        },
      ];
    if (unknown[0]) return [{ status: 'unknown', key: rule.id, path: unknown[0].path }];
    return [{ status: 'pass', key: rule.id, observed: `${rule.attribute} unset` }];
  }
  const checks: Check[] = unknown.map((l) => ({ status: 'unknown', key: `${rule.id}:${l.path}`, path: l.path }));
  const bad = leaves.find(
    (l) =>
      (l.kind === 'value' && !satisfies(rule, l.value)) || (l.kind === 'absent' && !ABSENT_PASSES.has(rule.operator)),
  );
  if (bad) {
    const shown = bad.kind === 'value' ? describeValue(bad.value) : 'unset';
    checks.push({
      status: 'fail',
      key: rule.id,
      observed: `${bad.path || rule.attribute} = ${shown}`,
      message: `${rule.message} (${bad.path || rule.attribute} is ${shown})`,
    });
  } else if (unknown.length === 0) {
    const first = present[0];
    checks.push({
      status: 'pass',
      key: rule.id,
      observed: `${rule.attribute} = ${first ? describeValue(first.value) : 'unset'}`,
    });
  }
  return checks;
}

export function checkAttributeRules(ctx: RuleContext): Finding[] {
  return (ctx.policy?.rules ?? []).flatMap((rule) => {
    const info: RuleInfo = { id: rule.id, title: rule.message, severity: rule.severity };
    return inspectResources(ctx, info, rule.resourceTypes, (src) => judge(rule, src.get(rule.attribute)));
  });
}
