import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { b64, evaluate, hits, lit, only, ref, type ChangeSpec } from './plan-builder.js';

const lt = (over: Record<string, unknown> = {}, extra: Partial<ChangeSpec> = {}): ChangeSpec => ({
  address: 'aws_launch_template.ollama',
  after: {
    instance_type: 'g4dn.xlarge',
    metadata_options: [{ http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 1 }],
    block_device_mappings: [
      { device_name: '/dev/xvda', ebs: [{ encrypted: 'true', volume_size: 100, volume_type: 'gp3' }] },
    ],
    network_interfaces: [],
    user_data: b64('#!/bin/bash\nsystemctl enable --now ollama\n'),
    ...over,
  },
  ...extra,
});
const instance = (over: Record<string, unknown> = {}, extra: Partial<ChangeSpec> = {}): ChangeSpec => ({
  address: 'aws_instance.box',
  after: {
    instance_type: 't3.medium',
    associate_public_ip_address: false,
    metadata_options: [{ http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 1 }],
    root_block_device: [{ encrypted: true, volume_size: 20, volume_type: 'gp3' }],
    ebs_block_device: [],
    ...over,
  },
  ...extra,
});

describe('IMDS (CKV_AWS_79, CKV_AWS_341)', () => {
  it('fails http_tokens optional and passes required', () => {
    const r = evaluate([
      lt({ metadata_options: [{ http_endpoint: 'enabled', http_tokens: 'optional', http_put_response_hop_limit: 1 }] }),
    ]);
    expect(only(r, 'CKV_AWS_79')[0]).toMatchObject({
      address: 'aws_launch_template.ollama',
      severity: 'HIGH',
      message: 'metadata_options.http_tokens is "optional": set http_tokens = "required" (IMDSv2 only)',
      refs: { checkov: ['CKV_AWS_79'], trivy: ['AWS-0130', 'AWS-0028'] },
    });
    expect(hits(evaluate([lt()]), 'CKV_AWS_79')).toEqual([]);
  });

  it('fails a missing metadata_options block, also when the provider computes it', () => {
    expect(only(evaluate([instance({ metadata_options: [] })]), 'CKV_AWS_79')[0]?.message).toContain(
      'no metadata_options block',
    );
    const computed = evaluate([
      instance(
        { metadata_options: undefined },
        { afterUnknown: { metadata_options: true }, config: { instance_type: lit('t3.medium') } },
      ),
    ]);
    expect(hits(computed, 'CKV_AWS_79')).toEqual(['CKV_AWS_79@aws_instance.box']);
    expect(hits(computed, 'CREW_UNKNOWN_VALUE')).toEqual([]);
  });

  it('passes with the endpoint disabled', () => {
    expect(
      hits(
        evaluate([lt({ metadata_options: [{ http_endpoint: 'disabled', http_tokens: 'optional' }] })]),
        'CKV_AWS_79',
      ),
    ).toEqual([]);
  });

  it('needs review when http_tokens is unknown', () => {
    const r = evaluate([
      lt(
        { metadata_options: [{ http_endpoint: 'enabled' }] },
        {
          afterUnknown: { metadata_options: [{ http_tokens: true }] },
          config: { metadata_options: [{ http_tokens: ref('var.tokens') }] },
        },
      ),
    ]);
    expect(hits(r, 'CKV_AWS_79')).toEqual([]);
    expect(only(r, 'CREW_UNKNOWN_VALUE')[0]?.message).toContain(
      'metadata_options[0].http_tokens is known only after apply, so CKV_AWS_79',
    );
  });

  it('CKV_AWS_341 flags a hop limit above 1 as LOW', () => {
    const r = evaluate([lt({ metadata_options: [{ http_tokens: 'required', http_put_response_hop_limit: 2 }] })]);
    expect(only(r, 'CKV_AWS_341').map((f) => f.severity)).toEqual(['LOW']);
    expect(hits(evaluate([lt()]), 'CKV_AWS_341')).toEqual([]);
  });
});

describe('public IPs (CKV_AWS_88)', () => {
  it('fails an instance and a launch template ("true" string) with a public IP', () => {
    expect(hits(evaluate([instance({ associate_public_ip_address: true })]), 'CKV_AWS_88')).toEqual([
      'CKV_AWS_88@aws_instance.box',
    ]);
    expect(
      hits(evaluate([lt({ network_interfaces: [{ associate_public_ip_address: 'true' }] })]), 'CKV_AWS_88'),
    ).toEqual(['CKV_AWS_88@aws_launch_template.ollama']);
  });
  it('passes "false" and absent', () => {
    expect(
      hits(
        evaluate([lt({ network_interfaces: [{ associate_public_ip_address: 'false' }] }), instance()]),
        'CKV_AWS_88',
      ),
    ).toEqual([]);
  });
});

describe('encryption (CKV_AWS_8, CKV_AWS_3, CREW_LT_EBS_ENCRYPTED)', () => {
  it('CKV_AWS_8 fails an unencrypted root volume, passes encrypted or encryption by default', () => {
    const r = evaluate([instance({ root_block_device: [{ encrypted: false, volume_size: 20 }] })]);
    expect(only(r, 'CKV_AWS_8')[0]?.message).toBe(
      'volume root_block_device[0].encrypted is false: set encrypted = true (with a KMS key), or enable aws_ebs_encryption_by_default',
    );
    expect(hits(evaluate([instance()]), 'CKV_AWS_8')).toEqual([]);
    expect(
      hits(
        evaluate([
          instance({ root_block_device: [{ encrypted: false }] }),
          { address: 'aws_ebs_encryption_by_default.on', after: { enabled: true } },
        ]),
        'CKV_AWS_8',
      ),
    ).toEqual([]);
  });

  it('CKV_AWS_3 fails an unencrypted aws_ebs_volume', () => {
    expect(
      hits(
        evaluate([{ address: 'aws_ebs_volume.v', after: { size: 10, type: 'gp3', encrypted: false } }]),
        'CKV_AWS_3',
      ),
    ).toEqual(['CKV_AWS_3@aws_ebs_volume.v']);
    expect(
      hits(evaluate([{ address: 'aws_ebs_volume.v', after: { size: 10, type: 'gp3', encrypted: true } }]), 'CKV_AWS_3'),
    ).toEqual([]);
  });

  it('CREW_LT_EBS_ENCRYPTED normalises "true"/"false"/"" and booleans', () => {
    const with_ = (encrypted: unknown) =>
      evaluate([lt({ block_device_mappings: [{ device_name: '/dev/xvda', ebs: [{ encrypted, volume_size: 100 }] }] })]);
    expect(hits(with_('false'), 'CREW_LT_EBS_ENCRYPTED')).toEqual(['CREW_LT_EBS_ENCRYPTED@aws_launch_template.ollama']);
    expect(only(with_(''), 'CREW_LT_EBS_ENCRYPTED')[0]?.message).toContain(
      'block_device_mappings[0].ebs[0].encrypted is ""',
    );
    expect(hits(with_('true'), 'CREW_LT_EBS_ENCRYPTED')).toEqual([]);
    expect(hits(with_(true), 'CREW_LT_EBS_ENCRYPTED')).toEqual([]);
  });

  it('CREW_LT_EBS_ENCRYPTED fails a template without block devices', () => {
    expect(only(evaluate([lt({ block_device_mappings: [] })]), 'CREW_LT_EBS_ENCRYPTED')[0]?.message).toMatch(
      /^no block_device_mappings/,
    );
  });
});

describe('secrets in user_data (CKV_AWS_46)', () => {
  const secret = 'AKIAIOSFODNN7EXAMPLE';
  it('finds an access key in base64 launch template user_data without printing it', () => {
    const r = evaluate([lt({ user_data: b64(`#!/bin/bash\nexport AWS_ACCESS_KEY_ID=${secret}\n`) })]);
    const f = only(r, 'CKV_AWS_46');
    expect(f.map((x) => x.severity)).toEqual(['CRITICAL']);
    expect(f[0]?.message).toContain('user_data contains an AWS access key id (decoded line 2; value not shown)');
    expect(JSON.stringify(r)).not.toContain(secret);
    expect(r.verdict).toBe('FAIL');
  });

  it('finds a K3S_TOKEN in gzip+base64 user_data and a private key in an aws_instance literal', () => {
    const gz = gzipSync(Buffer.from('#!/bin/sh\nK3S_TOKEN=K10abc::server:topsecret sh -s -\n')).toString('base64');
    expect(only(evaluate([lt({ user_data: gz })]), 'CKV_AWS_46')[0]?.message).toContain(
      'a literal K3S_TOKEN (decoded line 2',
    );
    const key = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAA\n-----END OPENSSH PRIVATE KEY-----';
    // The plan holds only a SHA-1 of aws_instance.user_data; the configuration has the literal.
    const r = evaluate([
      instance(
        { user_data: 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3' },
        { config: { user_data: lit(`#!/bin/bash\necho "${key}" > /root/.ssh/id\n`) } },
      ),
    ]);
    expect(only(r, 'CKV_AWS_46')[0]?.message).toContain('a private key');
    expect(JSON.stringify(r)).not.toContain('b3BlbnNzaC1rZXktdjEAAAA');
  });

  it('passes a token fetched at boot', () => {
    expect(
      hits(
        evaluate([lt({ user_data: b64('#!/bin/sh\nK3S_TOKEN=$(vault kv get -field=token secret/k3s) sh -s -\n') })]),
        'CKV_AWS_46',
      ),
    ).toEqual([]);
  });
});

describe('ASG launch template (CKV_AWS_315)', () => {
  const asg = (spec: Record<string, unknown>, extra: Partial<ChangeSpec> = {}): ChangeSpec => ({
    address: 'aws_autoscaling_group.g',
    after: {
      name: 'g',
      min_size: 0,
      max_size: 1,
      desired_capacity: 1,
      launch_template: [spec],
      mixed_instances_policy: [],
    },
    ...extra,
  });
  it('fails $Latest and a launch configuration', () => {
    expect(only(evaluate([asg({ id: 'lt-1', version: '$Latest' })]), 'CKV_AWS_315')[0]).toMatchObject({
      severity: 'MEDIUM',
      message: expect.stringContaining('launch_template[0].version is "$Latest"'),
    });
    const lc = evaluate([
      { address: 'aws_autoscaling_group.g', after: { launch_configuration: 'old-lc', launch_template: [] } },
    ]);
    expect(only(lc, 'CKV_AWS_315')[0]?.message).toMatch(/^uses a launch configuration/);
  });
  it('passes a pinned version and a reference to latest_version', () => {
    expect(hits(evaluate([asg({ id: 'lt-1', version: '3' })]), 'CKV_AWS_315')).toEqual([]);
    const r = evaluate([
      lt(),
      asg(
        {},
        {
          afterUnknown: { launch_template: [{ id: true, version: true }] },
          config: {
            launch_template: [
              {
                id: ref('aws_launch_template.ollama.id'),
                version: ref('aws_launch_template.ollama.latest_version', 'aws_launch_template.ollama'),
              },
            ],
          },
        },
      ),
    ]);
    expect(hits(r, 'CKV_AWS_315')).toEqual([]);
    expect(hits(r, 'CREW_UNKNOWN_VALUE')).toEqual([]);
  });
});
