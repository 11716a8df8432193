import { toNumber, type Lookup } from '../plan/lookup-value.js';
import type { PlanResource } from '../plan/plan-types.js';
import type { ValueSource } from './inspect-resources.js';

// The three ways AWS expresses a security group rule, flattened into one shape.
export const SG_RULE_TYPES = [
  'aws_security_group',
  'aws_default_security_group',
  'aws_security_group_rule',
  'aws_vpc_security_group_ingress_rule',
  'aws_vpc_security_group_egress_rule',
];

export interface SgRuleView {
  key: string;
  direction: 'ingress' | 'egress';
  protocol: Lookup;
  from: Lookup;
  to: Lookup;
  cidrs: Lookup[];
  description: Lookup;
}

function one(src: ValueSource, path: string): Lookup {
  return src.get(path)[0] ?? { kind: 'absent', path };
}

/** Leaves of a list-of-CIDRs attribute, element by element (a whole-list unknown stays one leaf). */
function cidrLeaves(src: ValueSource, path: string): Lookup[] {
  return src.get(path).flatMap((leaf): Lookup[] => {
    if (leaf.kind !== 'value') return leaf.kind === 'unknown' ? [leaf] : [];
    if (!Array.isArray(leaf.value)) return typeof leaf.value === 'string' && leaf.value !== '' ? [leaf] : [];
    return leaf.value
      .flatMap((_, k) => src.get(`${leaf.path}.${k}`))
      .flatMap((l) =>
        l.kind === 'value' && Array.isArray(l.value)
          ? l.value.map((v, j) => ({ kind: 'value' as const, value: v, path: `${l.path}[${j}]` }))
          : [l],
      );
  });
}

export function collectSgRules(src: ValueSource, r: PlanResource): SgRuleView[] {
  if (r.type === 'aws_security_group' || r.type === 'aws_default_security_group') {
    return (['ingress', 'egress'] as const).flatMap((direction) => {
      const list = src.values[direction];
      if (!Array.isArray(list)) return [];
      return list.map((_, i) => {
        const at = `${direction}[${i}]`;
        return {
          key: at,
          direction,
          protocol: one(src, `${at}.protocol`),
          from: one(src, `${at}.from_port`),
          to: one(src, `${at}.to_port`),
          cidrs: [...cidrLeaves(src, `${at}.cidr_blocks`), ...cidrLeaves(src, `${at}.ipv6_cidr_blocks`)],
          description: one(src, `${at}.description`),
        };
      });
    });
  }
  if (r.type === 'aws_security_group_rule') {
    const type = src.values.type === 'egress' ? 'egress' : 'ingress';
    return [
      {
        key: 'rule',
        direction: type,
        protocol: one(src, 'protocol'),
        from: one(src, 'from_port'),
        to: one(src, 'to_port'),
        cidrs: [...cidrLeaves(src, 'cidr_blocks'), ...cidrLeaves(src, 'ipv6_cidr_blocks')],
        description: one(src, 'description'),
      },
    ];
  }
  if (r.type === 'aws_vpc_security_group_ingress_rule' || r.type === 'aws_vpc_security_group_egress_rule') {
    return [
      {
        key: 'rule',
        direction: r.type.endsWith('ingress_rule') ? 'ingress' : 'egress',
        protocol: one(src, 'ip_protocol'),
        from: one(src, 'from_port'),
        to: one(src, 'to_port'),
        cidrs: [...cidrLeaves(src, 'cidr_ipv4'), ...cidrLeaves(src, 'cidr_ipv6')],
        description: one(src, 'description'),
      },
    ];
  }
  return [];
}

export type PortCoverage = 'yes' | 'no' | 'unknown';

export function isAllProtocols(protocol: Lookup): boolean {
  return (
    protocol.kind === 'value' && (String(protocol.value) === '-1' || String(protocol.value).toLowerCase() === 'all')
  );
}

/** Whether a rule admits TCP `port` (protocol -1 admits everything). */
export function coversPort(rule: SgRuleView, port: number): PortCoverage {
  if (rule.protocol.kind === 'unknown') return 'unknown';
  if (isAllProtocols(rule.protocol)) return 'yes';
  const proto = rule.protocol.kind === 'value' ? String(rule.protocol.value).toLowerCase() : '';
  if (proto !== 'tcp' && proto !== '6') return 'no';
  if (rule.from.kind === 'unknown' || rule.to.kind === 'unknown') return 'unknown';
  const from = rule.from.kind === 'value' ? toNumber(rule.from.value) : null;
  const to = rule.to.kind === 'value' ? toNumber(rule.to.value) : null;
  if (from === null || to === null) return 'no';
  return from <= port && port <= to ? 'yes' : 'no';
}

export function portLabel(rule: SgRuleView): string {
  if (isAllProtocols(rule.protocol)) return 'all protocols and ports';
  const v = (l: Lookup) => (l.kind === 'value' ? String(l.value) : '?');
  const proto = v(rule.protocol);
  return v(rule.from) === v(rule.to) ? `${proto}/${v(rule.from)}` : `${proto}/${v(rule.from)}-${v(rule.to)}`;
}
