import type { Finding } from '../../../../contracts/index.js';
import { toNumber } from '../plan/lookup-value.js';
import { collectSgRules, isAllProtocols, portLabel, SG_RULE_TYPES } from '../rules/collect-sg-rules.js';
import { checkLeaves, inspectResources, type Check } from '../rules/inspect-resources.js';
import { finding, unknownFinding, type Rule, type RuleContext, type RuleInfo } from '../rules/rule-types.js';
import { matchesGlob } from '../util/glob.js';
import { ownValue } from '../util/own-value.js';

export const POLICY_REGION: RuleInfo = {
  id: 'CREW_POLICY_REGION',
  title: 'Region allowed by the org policy',
  severity: 'HIGH',
};
export const POLICY_INSTANCE_TYPE: RuleInfo = {
  id: 'CREW_POLICY_INSTANCE_TYPE',
  title: 'Instance type allowed by the org policy',
  severity: 'HIGH',
};
export const POLICY_PORT: RuleInfo = {
  id: 'CREW_POLICY_PORT',
  title: 'Ingress ports allowed by the org policy',
  severity: 'HIGH',
};

const INSTANCE_TYPE_PATHS: Record<string, string> = {
  aws_instance: 'instance_type',
  aws_spot_instance_request: 'instance_type',
  aws_launch_template: 'instance_type',
  aws_launch_configuration: 'instance_type',
  aws_autoscaling_group: 'mixed_instances_policy.launch_template.override.instance_type',
};

export const policyRegionRule: Rule = {
  infos: [POLICY_REGION],
  run(ctx: RuleContext): Finding[] {
    const allowed = ctx.policy?.allowedRegions;
    if (!allowed || !ctx.index.managed.some((r) => r.type.startsWith('aws_'))) return [];
    if (!ctx.region) return [unknownFinding(POLICY_REGION, 'provider.aws', 'provider region')];
    if (allowed.includes(ctx.region)) return [];
    return [
      finding(
        POLICY_REGION,
        'provider.aws',
        `region ${ctx.region} is not allowed by the org policy: use one of ${allowed.join(', ')}`,
      ),
    ];
  },
};

export const policyInstanceTypeRule: Rule = {
  infos: [POLICY_INSTANCE_TYPE],
  run(ctx: RuleContext): Finding[] {
    const allowed = ctx.policy?.allowedInstanceTypes;
    if (!allowed) return [];
    return inspectResources(ctx, POLICY_INSTANCE_TYPE, Object.keys(INSTANCE_TYPE_PATHS), (src, r) =>
      checkLeaves(
        src,
        ownValue(INSTANCE_TYPE_PATHS, r.type) ?? 'instance_type',
        (v) => allowed.some((g) => matchesGlob(g, String(v))),
        (leaf) => ({
          observed: `instance type ${leaf.kind === 'value' ? String(leaf.value) : 'unset'}`,
          message: `instance type ${leaf.kind === 'value' ? String(leaf.value) : 'unset'} is not allowed by the org policy: use one of ${allowed.join(', ')}`,
        }),
      ),
    );
  },
};

function rangeAllowed(from: number, to: number, allowed: Set<number>): boolean {
  if (to - from + 1 > allowed.size) return false;
  for (let p = from; p <= to; p++) if (!allowed.has(p)) return false;
  return true;
}

export const policyPortsRule: Rule = {
  infos: [POLICY_PORT],
  run(ctx: RuleContext): Finding[] {
    const ports = ctx.policy?.allowedPorts;
    if (!ports) return [];
    const allowed = new Set(ports);
    return inspectResources(ctx, POLICY_PORT, SG_RULE_TYPES, (src, r): Check[] =>
      collectSgRules(src, r)
        .filter((rule) => rule.direction === 'ingress')
        .map((rule): Check => {
          const key = `ports:${rule.key}`;
          if (rule.protocol.kind === 'unknown' || rule.from.kind === 'unknown' || rule.to.kind === 'unknown')
            return { status: 'unknown', key, path: `${rule.key} protocol/ports` };
          const proto = rule.protocol.kind === 'value' ? String(rule.protocol.value).toLowerCase() : '';
          const from = rule.from.kind === 'value' ? toNumber(rule.from.value) : null;
          const to = rule.to.kind === 'value' ? toNumber(rule.to.value) : null;
          const portBased = ['tcp', 'udp', '6', '17'].includes(proto);
          const ok =
            !isAllProtocols(rule.protocol) &&
            (!portBased || (from !== null && to !== null && rangeAllowed(from, to, allowed)));
          if (ok) return { status: 'pass', key, observed: `${portLabel(rule)} allowed` };
          return {
            status: 'fail',
            key,
            observed: portLabel(rule),
            message: `${rule.key === 'rule' ? 'rule' : rule.key} opens ${portLabel(rule)}, which the org policy does not allow: allowed ports are ${ports.join(', ')}`,
          };
        }),
    );
  },
};
