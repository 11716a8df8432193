import type { Finding } from '../../../../contracts/index.js';
import { isWorld } from '../util/cidr.js';
import { inspectResources, type Check } from './inspect-resources.js';
import {
  collectSgRules,
  coversPort,
  isAllProtocols,
  portLabel,
  SG_RULE_TYPES,
  type SgRuleView,
} from './collect-sg-rules.js';
import type { Rule, RuleContext, RuleInfo } from './rule-types.js';

const TRIVY = ['AWS-0107'];
export const SSH_WORLD: RuleInfo = {
  id: 'CKV_AWS_24',
  title: 'No ingress from 0.0.0.0/0 or ::/0 to port 22',
  severity: 'HIGH',
  refs: { checkov: ['CKV_AWS_24'], trivy: TRIVY },
};
export const RDP_WORLD: RuleInfo = {
  id: 'CKV_AWS_25',
  title: 'No ingress from 0.0.0.0/0 or ::/0 to port 3389',
  severity: 'HIGH',
  refs: { checkov: ['CKV_AWS_25'], trivy: TRIVY },
};
export const ALL_WORLD: RuleInfo = {
  id: 'CKV_AWS_277',
  title: 'No ingress from 0.0.0.0/0 or ::/0 to all ports',
  severity: 'HIGH',
  refs: { checkov: ['CKV_AWS_277'], trivy: TRIVY },
};

function isAllPorts(rule: SgRuleView): boolean {
  if (isAllProtocols(rule.protocol)) return true;
  return coversPort(rule, 0) === 'yes' && coversPort(rule, 65535) === 'yes';
}

function inspect(rules: SgRuleView[]): Check[] {
  const checks: Check[] = [];
  const targets: [RuleInfo, (r: SgRuleView) => 'yes' | 'no' | 'unknown', string][] = [
    [ALL_WORLD, (r) => (r.protocol.kind === 'unknown' ? 'unknown' : isAllPorts(r) ? 'yes' : 'no'), 'all ports'],
    [SSH_WORLD, (r) => (isAllPorts(r) ? 'no' : coversPort(r, 22)), 'port 22'],
    [RDP_WORLD, (r) => (isAllPorts(r) ? 'no' : coversPort(r, 3389)), 'port 3389'],
  ];
  for (const [info, covers, label] of targets) {
    let failed = false;
    for (const rule of rules.filter((x) => x.direction === 'ingress')) {
      const cov = covers(rule);
      if (cov === 'no') continue;
      for (const cidr of rule.cidrs) {
        if (cidr.kind === 'unknown') {
          checks.push({ status: 'unknown', key: `${info.id}:${cidr.path}`, path: cidr.path, info });
        } else if (cidr.kind === 'value' && isWorld(String(cidr.value))) {
          if (cov === 'unknown') {
            checks.push({ status: 'unknown', key: `${info.id}:${rule.key}`, path: `${rule.key} protocol/ports`, info });
            continue;
          }
          failed = true;
          checks.push({
            status: 'fail',
            key: info.id,
            info,
            observed: `${label} open to ${String(cidr.value)}`,
            message: `${rule.key === 'rule' ? 'rule' : rule.key} allows ${portLabel(rule)} from ${String(cidr.value)}: restrict the source to the VPC CIDR or a bastion/VPN security group (use SSM Session Manager instead of open ${label})`,
          });
        }
      }
    }
    if (!failed) checks.push({ status: 'pass', key: info.id, observed: `${label} not open to the world` });
  }
  return checks;
}

export const worldIngressRule: Rule = {
  infos: [SSH_WORLD, RDP_WORLD, ALL_WORLD],
  run: (ctx: RuleContext): Finding[] =>
    inspectResources(ctx, ALL_WORLD, SG_RULE_TYPES, (src, r) => inspect(collectSgRules(src, r))),
};
