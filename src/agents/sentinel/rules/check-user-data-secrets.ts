import type { Finding } from '../../../../contracts/index.js';
import { configExpressions } from '../plan/index-plan.js';
import { inspectResources, type Check } from './inspect-resources.js';
import { decodeUserData, findSecrets } from './find-secrets.js';
import type { Rule, RuleContext, RuleInfo } from './rule-types.js';

export const USER_DATA_SECRETS: RuleInfo = {
  id: 'CKV_AWS_46',
  title: 'No secrets in user_data',
  severity: 'CRITICAL',
  refs: { checkov: ['CKV_AWS_46'], trivy: ['AWS-0129'] },
};

const TYPES = ['aws_instance', 'aws_launch_template', 'aws_launch_configuration', 'aws_spot_instance_request'];
const ATTRS = ['user_data', 'user_data_base64'];
// aws_instance keeps only a SHA-1 of user_data in the plan; the configuration literal has the text.
const SHA1 = /^[0-9a-f]{40}$/;

export const userDataSecretsRule: Rule = {
  infos: [USER_DATA_SECRETS],
  run: (ctx: RuleContext): Finding[] =>
    inspectResources(ctx, USER_DATA_SECRETS, TYPES, (src, r): Check[] => {
      const texts: { attr: string; text: string }[] = [];
      const checks: Check[] = [];
      for (const attr of ATTRS) {
        const leaf = src.get(attr)[0];
        if (leaf?.kind === 'value' && typeof leaf.value === 'string' && !SHA1.test(leaf.value))
          texts.push({ attr, text: leaf.value });
        if (src.side === 'after') {
          for (const expr of configExpressions(ctx.index, r, attr)) {
            if (typeof expr.constantValue === 'string') texts.push({ attr, text: expr.constantValue });
          }
          if (leaf?.kind === 'unknown' && texts.length === 0) checks.push({ status: 'unknown', key: attr, path: attr });
        }
      }
      const seen = new Set<string>();
      for (const { attr, text } of texts) {
        for (const hit of findSecrets(decodeUserData(text))) {
          const key = `${attr}:${hit.kind}`;
          if (seen.has(key)) continue;
          seen.add(key);
          checks.push({
            status: 'fail',
            key,
            observed: `${attr} contains ${hit.kind}`,
            message: `${attr} contains ${hit.kind} (decoded line ${hit.line}; value not shown): anyone who can read instance metadata or the launch template sees it. Fetch it at boot from Vault or SSM Parameter Store (SecureString) instead, and rotate it`,
          });
        }
      }
      if (!checks.some((c) => c.status !== 'pass'))
        checks.push({ status: 'pass', key: 'user_data', observed: 'no secrets in user_data' });
      return checks;
    }),
};
