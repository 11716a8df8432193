import type { Finding } from '../../../../contracts/index.js';
import { configExpressions } from '../plan/index-plan.js';
import { describeValue } from '../plan/lookup-value.js';
import { inspectResources, type Check } from './inspect-resources.js';
import type { Rule, RuleContext, RuleInfo } from './rule-types.js';

export const ASG_LAUNCH_TEMPLATE: RuleInfo = {
  id: 'CKV_AWS_315',
  title: 'Auto Scaling groups use a launch template with a pinned version',
  severity: 'MEDIUM',
  refs: { checkov: ['CKV_AWS_315'] },
};

const SPEC_PATHS = ['launch_template', 'mixed_instances_policy.launch_template.launch_template_specification'];

export const asgLaunchTemplateRule: Rule = {
  infos: [ASG_LAUNCH_TEMPLATE],
  run: (ctx: RuleContext): Finding[] =>
    inspectResources(ctx, ASG_LAUNCH_TEMPLATE, ['aws_autoscaling_group'], (src, r): Check[] => {
      const lc = src.get('launch_configuration')[0];
      if (lc?.kind === 'value' && lc.value !== '') {
        return [
          {
            status: 'fail',
            key: 'template',
            observed: 'a launch configuration',
            message:
              'uses a launch configuration (deprecated, no IMDSv2 or mixed instances controls): switch to a launch template',
          },
        ];
      }
      const versions = SPEC_PATHS.flatMap((p) =>
        src.get(`${p}.version`).filter((l) => l.kind === 'unknown' || l.path.includes('[')),
      );
      if (versions.length === 0) {
        return [
          {
            status: 'fail',
            key: 'template',
            observed: 'no launch template',
            message:
              'no launch template: set launch_template { id, version } or a mixed_instances_policy launch template',
          },
        ];
      }
      return versions.map((leaf): Check => {
        if (leaf.kind === 'unknown') {
          const pinnedByRef =
            src.side === 'after' &&
            configExpressions(ctx.index, r, leaf.path).some((e) =>
              e.references.some((ref) => /\.(latest|default)_version$/.test(ref)),
            );
          return pinnedByRef
            ? { status: 'pass', key: leaf.path, observed: 'version from the template resource' }
            : { status: 'unknown', key: leaf.path, path: leaf.path };
        }
        const value = leaf.kind === 'value' ? String(leaf.value) : '';
        if (value !== '' && value !== '$Latest')
          return { status: 'pass', key: leaf.path, observed: `version ${describeValue(value)}` };
        return {
          status: 'fail',
          key: leaf.path,
          observed: `version ${value === '' ? 'unset' : describeValue(value)}`,
          message: `${leaf.path} is ${value === '' ? 'unset' : '"$Latest"'}: pin it (version = aws_launch_template.<name>.latest_version) so template changes go through a reviewed plan`,
        };
      });
    }),
};
