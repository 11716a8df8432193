import type { Finding } from '../../../../contracts/index.js';
import { isWorld } from '../util/cidr.js';
import { collectSgRules, coversPort, isAllProtocols, portLabel, SG_RULE_TYPES } from './collect-sg-rules.js';
import { inspectResources, type Check } from './inspect-resources.js';
import type { Rule, RuleContext, RuleInfo } from './rule-types.js';

// LOW: open egress is the norm for instances that pull models and packages through a NAT;
// the finding is a nudge towards VPC endpoints, not a gate.
export const PUBLIC_EGRESS: RuleInfo = {
  id: 'CKV_AWS_382',
  title: 'No egress to 0.0.0.0/0 on all ports',
  severity: 'LOW',
  refs: { checkov: ['CKV_AWS_382'], trivy: ['AWS-0104'] },
};

export const publicEgressRule: Rule = {
  infos: [PUBLIC_EGRESS],
  run: (ctx: RuleContext): Finding[] =>
    inspectResources(ctx, PUBLIC_EGRESS, SG_RULE_TYPES, (src, r) => {
      const checks: Check[] = [];
      for (const rule of collectSgRules(src, r).filter((x) => x.direction === 'egress')) {
        for (const leaf of rule.cidrs) {
          const allPorts =
            isAllProtocols(rule.protocol) || (coversPort(rule, 0) === 'yes' && coversPort(rule, 65535) === 'yes');
          if (allPorts && leaf.kind === 'value' && isWorld(String(leaf.value))) {
            checks.push({
              status: 'fail',
              key: 'egress',
              observed: `egress to ${String(leaf.value)}`,
              message: `${rule.key === 'rule' ? 'rule' : rule.key} allows ${portLabel(rule)} to ${String(leaf.value)}: limit egress to the ports and destinations needed (HTTPS via NAT, VPC endpoints)`,
            });
          }
        }
      }
      if (checks.length === 0) checks.push({ status: 'pass', key: 'egress', observed: 'no egress to the world' });
      return checks;
    }),
};
