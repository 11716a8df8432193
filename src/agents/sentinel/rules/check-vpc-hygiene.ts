import type { Finding } from '../../../../contracts/index.js';
import { isChanging, ofType, willExist } from '../plan/index-plan.js';
import { attachedRulesByGroup } from './find-attached-sg-rules.js';
import type { PlanResource } from '../plan/plan-types.js';
import { afterSource, inspectResources } from './inspect-resources.js';
import { linkedOrOnly } from './link-resources.js';
import { finding, type Rule, type RuleContext, type RuleInfo } from './rule-types.js';

export const FLOW_LOGS: RuleInfo = {
  id: 'CKV2_AWS_11',
  title: 'Every VPC has flow logs',
  severity: 'MEDIUM',
  refs: { checkov: ['CKV2_AWS_11'], trivy: ['AWS-0178'] },
};
export const DEFAULT_SG: RuleInfo = {
  id: 'CKV2_AWS_12',
  title: 'The default security group of every VPC restricts all traffic',
  severity: 'LOW',
  refs: { checkov: ['CKV2_AWS_12'], trivy: ['AWS-0173'] },
};
export const DEFAULT_VPC: RuleInfo = {
  id: 'CKV_AWS_148',
  title: 'No default VPC',
  severity: 'HIGH',
  refs: { checkov: ['CKV_AWS_148'], trivy: ['AWS-0101'] },
};

/** VPC address → the resources of `type` attached to it by `vpc_id`. */
function attachedToVpcs(ctx: RuleContext, type: string): Map<string, PlanResource[]> {
  const map = new Map<string, PlanResource[]>();
  for (const r of ofType(ctx.index, type)) {
    if (!willExist(r)) continue;
    const src = afterSource(ctx.index, r);
    const vpc = src ? linkedOrOnly(ctx, r, src, 'vpc_id', 'aws_vpc') : null;
    if (!vpc) continue;
    map.set(vpc.address, [...(map.get(vpc.address) ?? []), r]);
  }
  return map;
}

export const flowLogsRule: Rule = {
  infos: [FLOW_LOGS],
  run(ctx) {
    const logged = attachedToVpcs(ctx, 'aws_flow_log');
    return ofType(ctx.index, 'aws_vpc')
      .filter((vpc) => willExist(vpc) && !logged.has(vpc.address))
      .map((vpc) =>
        finding(
          FLOW_LOGS,
          vpc.address,
          'no aws_flow_log is attached to this VPC: add one (vpc_id, traffic_type = "ALL") sending to CloudWatch Logs or S3',
        ),
      );
  },
};

/** Standalone rules attached to a default group count as its rules (checkov reads only inline blocks). */
function attachedToDefaultGroups(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  for (const [group, { groupType, rules }] of attachedRulesByGroup(ctx)) {
    if (groupType !== 'aws_default_security_group') continue;
    for (const { rule, direction } of rules) {
      if (!isChanging(rule)) continue;
      out.push(
        finding(
          DEFAULT_SG,
          rule.address,
          `attaches an ${direction} rule to the default security group ${group}: remove it so anything left in the default group gets no traffic, and put the rule on a dedicated security group`,
        ),
      );
    }
  }
  return out;
}

export const defaultSgRule: Rule = {
  infos: [DEFAULT_SG],
  run(ctx) {
    const out: Finding[] = [];
    const defaults = attachedToVpcs(ctx, 'aws_default_security_group');
    for (const vpc of ofType(ctx.index, 'aws_vpc')) {
      if (willExist(vpc) && !defaults.has(vpc.address)) {
        out.push(
          finding(
            DEFAULT_SG,
            vpc.address,
            'the default security group of this VPC is not managed: add aws_default_security_group with no ingress or egress rules',
          ),
        );
      }
    }
    out.push(...attachedToDefaultGroups(ctx));
    out.push(
      ...inspectResources(ctx, DEFAULT_SG, ['aws_default_security_group'], (src) =>
        (['ingress', 'egress'] as const).map((dir) => {
          const leaf = src.get(dir)[0];
          if (leaf?.kind === 'unknown') return { status: 'unknown' as const, key: dir, path: dir };
          const n = leaf?.kind === 'value' && Array.isArray(leaf.value) ? leaf.value.length : 0;
          return n === 0
            ? { status: 'pass' as const, key: dir, observed: `no ${dir} rules` }
            : {
                status: 'fail' as const,
                key: dir,
                observed: `${n} ${dir} rule(s)`,
                message: `the default security group has ${n} ${dir} rule(s): remove them so anything left in the default group gets no traffic`,
              };
        }),
      ),
    );
    return out;
  },
};

export const defaultVpcRule: Rule = {
  infos: [DEFAULT_VPC],
  run: (ctx: RuleContext): Finding[] =>
    ofType(ctx.index, 'aws_default_vpc')
      .filter((r) => r.kind === 'create' || r.kind === 'update' || r.kind === 'replace')
      .map((r) =>
        finding(
          DEFAULT_VPC,
          r.address,
          'the plan manages the default VPC: create a dedicated aws_vpc with private subnets instead',
        ),
      ),
};
