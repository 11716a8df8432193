import type { Finding } from '../../../../contracts/index.js';
import { configExpressions, configOf } from '../plan/index-plan.js';
import { toBool, toNumber, describeValue } from '../plan/lookup-value.js';
import { checkLeaves, inspectResources, type Check } from './inspect-resources.js';
import type { Rule, RuleContext, RuleInfo } from './rule-types.js';

export const SUBNET_PUBLIC_IP: RuleInfo = {
  id: 'CKV_AWS_130',
  title: 'Subnets do not assign public IPs on launch',
  severity: 'HIGH',
  refs: { checkov: ['CKV_AWS_130'], trivy: ['AWS-0164'] },
};
export const IMDSV2: RuleInfo = {
  id: 'CKV_AWS_79',
  title: 'Instance metadata service requires IMDSv2 tokens',
  severity: 'HIGH',
  refs: { checkov: ['CKV_AWS_79'], trivy: ['AWS-0130', 'AWS-0028'] },
};
// No severity upstream; LOW because k3s pods need hop limit 2 to reach IMDS on purpose.
export const IMDS_HOP_LIMIT: RuleInfo = {
  id: 'CKV_AWS_341',
  title: 'Instance metadata hop limit is 1',
  severity: 'LOW',
  refs: { checkov: ['CKV_AWS_341'] },
};
export const PUBLIC_IP: RuleInfo = {
  id: 'CKV_AWS_88',
  title: 'Instances and launch templates get no public IP',
  severity: 'HIGH',
  refs: { checkov: ['CKV_AWS_88', 'CKV_AWS_389'], trivy: ['AWS-0009'] },
};

const COMPUTE = ['aws_instance', 'aws_launch_template', 'aws_launch_configuration', 'aws_spot_instance_request'];

export const subnetPublicIpRule: Rule = {
  infos: [SUBNET_PUBLIC_IP],
  run: (ctx: RuleContext): Finding[] =>
    inspectResources(ctx, SUBNET_PUBLIC_IP, ['aws_subnet'], (src) =>
      checkLeaves(
        src,
        'map_public_ip_on_launch',
        (v) => toBool(v) !== true,
        (leaf) => ({
          observed: `map_public_ip_on_launch = ${leaf.kind === 'value' ? describeValue(leaf.value) : 'unset'}`,
          message: 'map_public_ip_on_launch is true: set it to false and reach the internet through a NAT gateway',
        }),
      ),
    ),
};

export const imdsV2Rule: Rule = {
  infos: [IMDSV2],
  run: (ctx: RuleContext): Finding[] =>
    inspectResources(ctx, IMDSV2, COMPUTE, (src, r): Check[] => {
      const blocks = src.get('metadata_options');
      // A computed block is unknown at create; if the configuration never wrote it, it is missing.
      const unwritten =
        src.side === 'after' &&
        configOf(ctx.index, r) !== undefined &&
        configExpressions(ctx.index, r, 'metadata_options').length === 0;
      const empty = blocks.every(
        (b) => b.kind === 'absent' || (b.kind === 'value' && Array.isArray(b.value) && b.value.length === 0),
      );
      if (blocks.length === 0 || empty || (unwritten && blocks.every((b) => b.kind !== 'value'))) {
        return [
          {
            status: 'fail',
            key: 'metadata_options',
            observed: 'no metadata_options block',
            message:
              'no metadata_options block, so IMDSv1 stays enabled: add metadata_options { http_tokens = "required" }',
          },
        ];
      }
      if (blocks.some((b) => b.kind === 'unknown'))
        return [{ status: 'unknown', key: 'metadata_options', path: 'metadata_options' }];
      const endpoint = src.get('metadata_options.http_endpoint')[0];
      if (endpoint?.kind === 'value' && endpoint.value === 'disabled')
        return [{ status: 'pass', key: 'tokens', observed: 'http_endpoint = "disabled"' }];
      const tokens = src.get('metadata_options.http_tokens')[0] ?? {
        kind: 'absent' as const,
        path: 'metadata_options.http_tokens',
      };
      if (tokens.kind === 'unknown') return [{ status: 'unknown', key: 'tokens', path: tokens.path }];
      const value = tokens.kind === 'value' ? tokens.value : undefined;
      if (value === 'required') return [{ status: 'pass', key: 'tokens', observed: 'http_tokens = "required"' }];
      return [
        {
          status: 'fail',
          key: 'tokens',
          observed: `http_tokens = ${describeValue(value)}`,
          message: `metadata_options.http_tokens is ${describeValue(value)}: set http_tokens = "required" (IMDSv2 only)`,
        },
      ];
    }),
};

export const imdsHopLimitRule: Rule = {
  infos: [IMDS_HOP_LIMIT],
  run: (ctx: RuleContext): Finding[] =>
    inspectResources(ctx, IMDS_HOP_LIMIT, COMPUTE, (src) =>
      checkLeaves(
        src,
        'metadata_options.http_put_response_hop_limit',
        (v) => (toNumber(v) ?? 1) <= 1,
        (leaf) => ({
          observed: `http_put_response_hop_limit = ${leaf.kind === 'value' ? describeValue(leaf.value) : 'unset'}`,
          message: `metadata_options.http_put_response_hop_limit is ${leaf.kind === 'value' ? describeValue(leaf.value) : 'unset'}: set it to 1 unless containers on the host must reach IMDS`,
        }),
      ),
    ),
};

export const publicIpRule: Rule = {
  infos: [PUBLIC_IP],
  run: (ctx: RuleContext): Finding[] =>
    inspectResources(ctx, PUBLIC_IP, COMPUTE, (src, r) => {
      const path =
        r.type === 'aws_launch_template'
          ? 'network_interfaces.associate_public_ip_address'
          : 'associate_public_ip_address';
      return checkLeaves(
        src,
        path,
        (v) => toBool(v) !== true,
        (leaf) => ({
          observed: `${leaf.path} = ${leaf.kind === 'value' ? describeValue(leaf.value) : 'unset'}`,
          message: `${leaf.path} is true: set it to false, keep the instance in a private subnet and reach it through SSM or the VPC`,
        }),
      );
    }),
};
