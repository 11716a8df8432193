import type { Finding } from '../../../../contracts/index.js';
import { ofType, willExist } from '../plan/index-plan.js';
import { describeValue, toBool, type Lookup } from '../plan/lookup-value.js';
import { inspectResources, type Check, type ValueSource } from './inspect-resources.js';
import { memoize, type Rule, type RuleContext, type RuleInfo } from './rule-types.js';

export const INSTANCE_EBS_ENCRYPTED: RuleInfo = {
  id: 'CKV_AWS_8',
  title: 'Instance and launch configuration volumes are encrypted',
  severity: 'HIGH',
  refs: { checkov: ['CKV_AWS_8'], trivy: ['AWS-0131'] },
};
export const EBS_VOLUME_ENCRYPTED: RuleInfo = {
  id: 'CKV_AWS_3',
  title: 'EBS volumes are encrypted',
  severity: 'HIGH',
  refs: { checkov: ['CKV_AWS_3'], trivy: ['AWS-0026'] },
};
// Neither scanner checks launch template block devices, where `encrypted` is a string.
export const LT_EBS_ENCRYPTED: RuleInfo = {
  id: 'CREW_LT_EBS_ENCRYPTED',
  title: 'Launch template volumes are encrypted',
  severity: 'HIGH',
};

/** `aws_ebs_encryption_by_default { enabled = true }` in the plan encrypts every new volume. */
function encryptedByDefault(ctx: RuleContext): boolean {
  return memoize(ctx, 'ebsDefault', () =>
    ofType(ctx.index, 'aws_ebs_encryption_by_default').some((r) => willExist(r) && toBool(r.after?.enabled) !== false),
  );
}

function isEmpty(l: Lookup): boolean {
  return l.kind === 'absent' || (l.kind === 'value' && Array.isArray(l.value) && l.value.length === 0);
}

const BY_DEFAULT: Check = { status: 'pass', key: '*', observed: 'EBS encryption by default' };

function judge(leaf: Lookup, what: string): Check {
  if (leaf.kind === 'unknown') return { status: 'unknown', key: leaf.path, path: leaf.path };
  const value = leaf.kind === 'value' ? leaf.value : undefined;
  if (toBool(value) === true)
    return { status: 'pass', key: leaf.path, observed: `${leaf.path} = ${describeValue(value)}` };
  return {
    status: 'fail',
    key: leaf.path,
    observed: `${leaf.path} = ${describeValue(value)}`,
    message: `${what} ${leaf.path} is ${describeValue(value)}: set encrypted = true (with a KMS key), or enable aws_ebs_encryption_by_default`,
  };
}

function devices(src: ValueSource, block: string): Check[] {
  return src
    .get(`${block}.encrypted`)
    .filter((l) => !(l.kind === 'absent' && !l.path.includes('[')))
    .map((l) => judge(l, 'volume'));
}

export const instanceEncryptionRule: Rule = {
  infos: [INSTANCE_EBS_ENCRYPTED],
  run: (ctx: RuleContext): Finding[] =>
    inspectResources(
      ctx,
      INSTANCE_EBS_ENCRYPTED,
      ['aws_instance', 'aws_launch_configuration', 'aws_spot_instance_request'],
      (src) => {
        if (encryptedByDefault(ctx)) return [BY_DEFAULT];
        const root = src.get('root_block_device');
        const rootChecks = root.every(isEmpty)
          ? [judge({ kind: 'absent', path: 'root_block_device' }, 'the root volume (from the AMI):')]
          : devices(src, 'root_block_device');
        return [...rootChecks, ...devices(src, 'ebs_block_device')];
      },
    ),
};

export const ebsVolumeEncryptionRule: Rule = {
  infos: [EBS_VOLUME_ENCRYPTED],
  run: (ctx: RuleContext): Finding[] =>
    inspectResources(ctx, EBS_VOLUME_ENCRYPTED, ['aws_ebs_volume'], (src) =>
      encryptedByDefault(ctx)
        ? [BY_DEFAULT]
        : [judge(src.get('encrypted')[0] ?? { kind: 'absent', path: 'encrypted' }, 'the volume:')],
    ),
};

export const launchTemplateEncryptionRule: Rule = {
  infos: [LT_EBS_ENCRYPTED],
  run: (ctx: RuleContext): Finding[] =>
    inspectResources(ctx, LT_EBS_ENCRYPTED, ['aws_launch_template'], (src): Check[] => {
      if (encryptedByDefault(ctx)) return [BY_DEFAULT];
      const maps = src.get('block_device_mappings');
      if (maps.some((l) => l.kind === 'unknown'))
        return [{ status: 'unknown', key: 'block_device_mappings', path: 'block_device_mappings' }];
      if (maps.every(isEmpty)) {
        return [
          {
            status: 'fail',
            key: 'block_device_mappings',
            observed: 'no block_device_mappings',
            message:
              "no block_device_mappings, so volumes take the AMI snapshot's encryption: add block_device_mappings { ebs { encrypted = true } } or enable aws_ebs_encryption_by_default",
          },
        ];
      }
      return src.get('block_device_mappings.ebs.encrypted').map((l) => judge(l, 'launch template volume'));
    }),
};
