import type { Finding } from '../../../../contracts/index.js';
import type { Lookup } from '../plan/lookup-value.js';
import { collectSgRules, SG_RULE_TYPES } from './collect-sg-rules.js';
import { inspectResources, type Check } from './inspect-resources.js';
import type { Rule, RuleContext, RuleInfo } from './rule-types.js';

export const SG_DESCRIPTIONS: RuleInfo = {
  id: 'CKV_AWS_23',
  title: 'Security groups and their rules have a description',
  severity: 'LOW',
  refs: { checkov: ['CKV_AWS_23'], trivy: ['AWS-0099', 'AWS-0124'] },
};

function judge(key: string, what: string, leaf: Lookup): Check {
  if (leaf.kind === 'unknown') return { status: 'unknown', key, path: leaf.path };
  const text = leaf.kind === 'value' ? String(leaf.value).trim() : '';
  if (text !== '' && text !== 'Managed by Terraform') return { status: 'pass', key, observed: 'described' };
  return {
    status: 'fail',
    key,
    observed: text === '' ? 'no description' : `"${text}"`,
    message: `${what} has ${text === '' ? 'no description' : `the default description "${text}"`}: say what the ${what} is for`,
  };
}

export const sgDescriptionsRule: Rule = {
  infos: [SG_DESCRIPTIONS],
  run: (ctx: RuleContext): Finding[] =>
    inspectResources(ctx, SG_DESCRIPTIONS, SG_RULE_TYPES, (src, r) => {
      const checks: Check[] = [];
      if (r.type === 'aws_security_group')
        checks.push(
          judge('group', 'security group', src.get('description')[0] ?? { kind: 'absent', path: 'description' }),
        );
      for (const rule of collectSgRules(src, r)) {
        checks.push(judge(rule.key, rule.key === 'rule' ? 'rule' : `rule ${rule.key}`, rule.description));
      }
      return checks;
    }),
};
