import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AutoScalingClient,
  CreateAutoScalingGroupCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeScheduledActionsCommand,
  PutScheduledUpdateGroupActionCommand,
} from '@aws-sdk/client-auto-scaling';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import type { AwsSpotOllamaSpec } from '../../../contracts/artifacts.js';
import { checkProviderMirror } from '../../../src/agents/forge/check-provider-mirror.js';
import { renderAws, type RenderAwsOptions } from '../../../src/agents/forge/render-aws.js';
import { buildTerraformEnv } from '../../../src/agents/forge/build-terraform-env.js';
import {
  type AwsEndpoint,
  AWS_ENDPOINT_ACTIONS,
  startAwsEndpoint,
} from '../../support/aws-endpoint/start-aws-endpoint.js';
import { endpointClientConfig } from '../../support/aws-target.js';
import { awsSpec } from '../../support/forge-specs.js';
import { createTempStack, requireTerraform, type TempStack } from '../../support/terraform-harness.js';

// The real hashicorp/aws provider (from the filesystem mirror) plans, applies, re-plans and
// destroys the aws-spot-ollama module against the local endpoint. Each scenario has its own
// endpoint and stack, so they run side by side.

const MIRROR = process.env.INFRACREW_TF_MIRROR ?? '/opt/tf-plugins';

interface Stack {
  aws: AwsEndpoint;
  render(spec: AwsSpotOllamaSpec): void;
  /** Runs terraform with an argument array; fails unless it exits with one of `ok`. */
  terraform(args: string[], ok?: number[]): Promise<{ exitCode: number; stdout: string; stderr: string }>;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** No skipping: without Terraform or the provider mirror the suite fails and says what to install. */
function requireRealProvider(): void {
  requireTerraform();
  const mirror = checkProviderMirror(MIRROR, ['hashicorp/aws']);
  if (!mirror.ok)
    throw new Error(
      `no hashicorp/aws provider in a filesystem mirror at ${MIRROR} (install it there or set INFRACREW_TF_MIRROR): ${mirror.problems.join('; ')}`,
    );
}

/** A temp stack with the rendered module, initialised against its own endpoint. */
async function openStack(spec: AwsSpotOllamaSpec, renderOptions: Omit<RenderAwsOptions, 'rootDir'>): Promise<Stack> {
  requireRealProvider();
  const aws = await startAwsEndpoint({ region: 'eu-west-1' });
  const temp: TempStack = createTempStack('aws-endpoint-');
  cleanups.push(
    () => temp.cleanup(),
    () => aws.stop(),
  );
  const rc = join(temp.dir, 'mirror.tfrc');
  writeFileSync(
    rc,
    `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(MIRROR)}\n    include = ["registry.terraform.io/*/*"]\n  }\n}\n`,
  );
  const env = buildTerraformEnv({ TF_CLI_CONFIG_FILE: rc, ...aws.env() }, process.env);
  const stack: Stack = {
    aws,
    render: (spec) => temp.write(renderAws(spec, { rootDir: temp.dir, ...renderOptions }).files),
    async terraform(args, ok = [0]) {
      const r = await execa('terraform', [args[0] ?? 'version', '-no-color', '-input=false', ...args.slice(1)], {
        cwd: temp.dir,
        env,
        extendEnv: false,
        reject: false,
        timeout: 120_000,
      });
      const result = { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
      if (!ok.includes(result.exitCode))
        throw new Error(`terraform ${args.join(' ')} exited ${result.exitCode}: ${result.stderr.slice(-3000)}`);
      return result;
    },
  };
  stack.render(spec);
  await stack.terraform(['init']);
  return stack;
}

/** Addresses and actions of the `planned_change` messages of `terraform plan -json`. */
function plannedChanges(stdout: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const m = JSON.parse(line) as { type?: string; change?: { resource?: { addr?: string }; action?: string } };
    if (m.type === 'planned_change' && m.change?.resource?.addr) out[m.change.resource.addr] = m.change.action ?? '';
  }
  return out;
}

const one = <T>(aws: AwsEndpoint, type: string): T => {
  const all = aws.resources<T>(type);
  expect(all, type).toHaveLength(1);
  return all[0]!;
};

// A hang detector, not a time limit: real-provider chains take minutes on a loaded machine.
describe('local AWS endpoint against the real aws provider', { timeout: 420_000 }, () => {
  it.concurrent('applies the module with NAT and a schedule, updates it in place and destroys it', async () => {
    const s = await openStack(awsSpec(), { natSubnetCidr: '10.42.255.0/24' });
    const { aws } = s;
    await s.terraform(['apply', '-auto-approve']);

    const vpc = one<{ vpcId: string; cidrBlock: string }>(aws, 'vpc');
    expect(vpc.cidrBlock).toBe('10.42.0.0/16');
    expect(
      aws
        .resources<{ cidrBlock: string }>('subnet')
        .map((x) => x.cidrBlock)
        .sort(),
    ).toEqual(['10.42.1.0/24', '10.42.2.0/24', '10.42.255.0/24']);
    expect(one(aws, 'autoscaling-group')).toMatchObject({ name: 'ollama-dev-ollama', desiredCapacity: 1 });
    expect(
      aws
        .resources<{ name: string }>('scheduled-action')
        .map((a) => a.name)
        .sort(),
    ).toEqual(['ollama-dev-ollama-start', 'ollama-dev-ollama-stop']);
    expect(one<{ retentionInDays: number }>(aws, 'log-group').retentionInDays).toBe(90);
    expect(one<{ resourceId: string }>(aws, 'flow-log').resourceId).toBe(vpc.vpcId);
    expect([...one<{ policies: Map<string, string> }>(aws, 'iam-role').policies.keys()]).toEqual(['vpc-flow-logs']);
    for (const type of ['nat-gateway', 'internet-gateway', 'address', 'launch-template']) one(aws, type);
    expect(aws.createCounts()).toMatchObject({ CreateVpc: 1, CreateAutoScalingGroup: 1, CreateLaunchTemplate: 1 });
    expect(aws.calls.filter((c) => c.errorCode === 'InvalidAction')).toEqual([]);

    // This plan refreshes everything applied above: only the two edited resources may change.
    s.render(awsSpec({ instanceTypes: ['g5.xlarge'], volumeGb: 120 }));
    const plan = await s.terraform(['plan', '-json', '-detailed-exitcode', '-out=change.tfplan'], [2]);
    expect(plannedChanges(plan.stdout)).toEqual({
      'module.ollama.aws_autoscaling_group.ollama': 'update',
      'module.ollama.aws_launch_template.ollama': 'update',
    });
    await s.terraform(['apply', 'change.tfplan']);
    expect(one<{ versions: unknown[] }>(aws, 'launch-template').versions).toHaveLength(2);
    expect((await s.terraform(['plan', '-detailed-exitcode'], [0, 2])).exitCode).toBe(0);
    expect(aws.createCounts()).toMatchObject({ CreateAutoScalingGroup: 1, CreateLaunchTemplateVersion: 1 });

    await s.terraform(['destroy', '-auto-approve']);
    expect(aws.state.summary()).toEqual({});
  });

  it.concurrent('applies the module without NAT and re-plans with no changes', async () => {
    const s = await openStack(awsSpec(), {});
    await s.terraform(['apply', '-auto-approve']);
    expect(s.aws.resources('subnet')).toHaveLength(2);
    expect(s.aws.resources('scheduled-action')).toHaveLength(2);
    expect(s.aws.resources('nat-gateway')).toEqual([]);
    expect((await s.terraform(['plan', '-detailed-exitcode'], [0, 2])).exitCode).toBe(0);
  });

  it.concurrent('fails terraform plan with the code AWS gives for expired credentials', async () => {
    const s = await openStack(awsSpec(), {});
    s.aws.rejectCredentials('ExpiredToken', 'The security token included in the request is expired');
    const plan = await s.terraform(['plan'], [1]);
    expect(plan.stderr).toContain('ExpiredToken');
    expect(s.aws.calls.length).toBeGreaterThan(0);
    expect(s.aws.calls.every((c) => c.status === 403)).toBe(true);
  });

  it('runs a scheduled action as AWS does: the group takes its sizes, and its start time moves to the next run', async () => {
    let clock = new Date('2026-12-02T12:00:00Z');
    const aws = await startAwsEndpoint({ region: 'us-east-1', now: () => clock });
    cleanups.push(() => aws.stop());
    const client = new AutoScalingClient(endpointClientConfig(aws));
    cleanups.push(() => client.destroy());
    await client.send(
      new CreateAutoScalingGroupCommand({ AutoScalingGroupName: 'g', MinSize: 1, MaxSize: 3, DesiredCapacity: 2 }),
    );
    const stop = { AutoScalingGroupName: 'g', ScheduledActionName: 'stop' };
    await client.send(
      new PutScheduledUpdateGroupActionCommand({
        ...stop,
        Recurrence: '0 22 * * FRI',
        TimeZone: 'UTC',
        MinSize: 0,
        MaxSize: 0,
        DesiredCapacity: 0,
      }),
    );
    const startTime = async () =>
      (await client.send(new DescribeScheduledActionsCommand(stop))).ScheduledUpdateGroupActions?.[0]?.StartTime;
    expect(await startTime()).toEqual(new Date('2026-12-04T22:00:00Z'));

    clock = new Date('2026-12-05T12:00:00Z');
    aws.runScheduledAction('g', 'stop');
    const [g] = (await client.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['g'] })))
      .AutoScalingGroups!;
    expect([g?.MinSize, g?.MaxSize, g?.DesiredCapacity, g?.Instances?.length]).toEqual([0, 0, 0, 0]);
    expect(await startTime()).toEqual(new Date('2026-12-11T22:00:00Z'));
    expect(() => aws.runScheduledAction('g', 'nope')).toThrow('Scheduled action name not found');
  });

  it('answers an action it does not implement with InvalidAction at once', async () => {
    const aws = await startAwsEndpoint();
    cleanups.push(() => aws.stop());
    const res = await fetch(aws.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: 'AWS4-HMAC-SHA256 Credential=AKIA/20261201/eu-west-1/ec2/aws4_request, SignedHeaders=host',
      },
      body: 'Action=DescribeUnicorns&Version=2016-11-15',
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('<Code>InvalidAction</Code>');
    expect(aws.calls).toMatchObject([
      { service: 'ec2', action: 'DescribeUnicorns', status: 400, errorCode: 'InvalidAction' },
    ]);
    expect(AWS_ENDPOINT_ACTIONS).toContain('ec2:CreateVpc');
    expect(AWS_ENDPOINT_ACTIONS).not.toContain('ec2:DescribeUnicorns');
  });
});
