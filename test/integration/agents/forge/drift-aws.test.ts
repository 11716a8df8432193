import { randomBytes } from 'node:crypto';
import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import { AuthorizeSecurityGroupIngressCommand, DescribeSecurityGroupsCommand, EC2Client } from '@aws-sdk/client-ec2';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GoalStatement } from '../../../../contracts/index.js';
import { renderDriftRun } from '../../../../src/agents/forge/drift-render-text.js';
import { runDriftChecks, type DriftRunOptions } from '../../../../src/agents/forge/drift-run.js';
import { snoozeDrift } from '../../../../src/agents/forge/drift-snooze.js';
import { adoptDrift, describeMapping, revertDrift } from '../../../../src/agents/forge/drift-triage.js';
import type { CrewConfig } from '../../../../src/config/read-config.js';
import { ok } from '../../../../src/errors.js';
import { createLogger } from '../../../../src/log/create-logger.js';
import type { PlanRecord } from '../../../../src/plan/plan-record.js';
import { buildDriftChecks } from '../../../../src/runtime/build-drift-checks.js';
import type { CrewRuntime } from '../../../../src/runtime/start-crew.js';
import { DriftStore } from '../../../../src/store/drift-store.js';
import type { StackDriftResult } from '../../../../src/store/drift-types.js';
import type { AwsEndpoint } from '../../../support/aws-endpoint/start-aws-endpoint.js';
import { endpointClientConfig } from '../../../support/aws-target.js';
import { appliedOnAws, startAwsCrew, untilPlan, type AwsCrew } from '../../../support/aws-crew.js';

// Drift on the aws target: the real hashicorp/aws provider (from the filesystem mirror) applies
// a stack through the in-process crew to the local AWS endpoint once; then an operator changes
// it through the AWS API behind the crew's back, the weekend schedule's actions run, and every
// check (refresh-only plan, the provider's `resource_drift`) and triage step runs against it.
// One apply for all of it: each terraform run of the real provider costs seconds of CPU.

const STACK = 'drift-aws';
const GROUP = `${STACK}-ollama`;
const ASG = 'module.ollama.aws_autoscaling_group.ollama';
const SG = 'module.ollama.aws_security_group.ollama';

// The crew, the checks and the endpoint share one clock, moving from a set instant: the weekend
// schedule (FRI 22:00 → MON 07:00 UTC) is then in or out of force whatever day the test runs.
const WEDNESDAY_NOON = new Date('2026-12-02T12:00:00Z');
const THURSDAY_NOON = new Date('2026-12-03T12:00:00Z');
const SATURDAY_NOON = new Date('2026-12-05T12:00:00Z');
let clockBase = WEDNESDAY_NOON.getTime();
let clockSetAt = Date.now();
const now = (): Date => new Date(clockBase + (Date.now() - clockSetAt));
function setClock(at: Date): void {
  clockBase = at.getTime();
  clockSetAt = Date.now();
}

let rig: AwsCrew;
let redis: Redis;
let crew: CrewRuntime;
let aws: AwsEndpoint;
let config: Readonly<CrewConfig>;
let prefix: string;
let store: DriftStore;

function checks(): DriftRunOptions {
  return buildDriftChecks({ config, redis, crew, logger: createLogger({ level: 'silent' }), prefix, now });
}

async function checkStack(): Promise<StackDriftResult> {
  const r = await runDriftChecks(checks(), 'cli', STACK);
  if (!r.ok) throw new Error(r.refusal);
  return r.run.stacks[0]!;
}

const until = (id: string, states: PlanRecord['state'][]) => untilPlan(crew, id, states);

const group = () =>
  aws.resources<{ name: string; minSize: number; maxSize: number; desiredCapacity: number; instanceIds: string[] }>(
    'autoscaling-group',
  )[0]!;

beforeAll(async () => {
  prefix = `t${randomBytes(4).toString('hex')}`;
  rig = await startAwsCrew({ now, dataPrefix: 'crew-drift-aws-', prefix });
  ({ aws, redis, crew, config } = rig);
  store = new DriftStore({ redis, prefix });
  await appliedOnAws(
    crew,
    `private Ollama on spot g4dn.xlarge in us-east-1, 2 instances, off on weekends, budget $2000/month, stack ${STACK}`,
  );
}, 360_000);

afterAll(async () => rig?.close());

describe('drift on the aws target: real provider, local AWS endpoint, one applied stack', () => {
  it('what an operator changes through the AWS API is drift: stack, address, attribute, expected → actual', async () => {
    const spec = (await crew.stacks.current(STACK))?.spec;
    if (spec?.blueprint !== 'aws-spot-ollama') throw new Error(`no aws-spot-ollama stack ${STACK}`);
    expect(spec.target).toBe('aws');
    expect(spec.params).toMatchObject({ instanceTypes: ['g4dn.xlarge'], maxSize: 2, desiredCapacity: 2 });
    expect(group()).toMatchObject({ name: GROUP, maxSize: 2, desiredCapacity: 2 });

    // During an incident someone raises the group's max size and adds an instance type (as the
    // console does: the whole mixed instances policy sent back with one more override), and
    // opens SSH from one address on the instances' security group.
    const autoScaling = new AutoScalingClient(endpointClientConfig(aws));
    const ec2 = new EC2Client(endpointClientConfig(aws));
    const [g] = (await autoScaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [GROUP] })))
      .AutoScalingGroups!;
    const lt = g!.MixedInstancesPolicy!.LaunchTemplate!;
    await autoScaling.send(
      new UpdateAutoScalingGroupCommand({
        AutoScalingGroupName: GROUP,
        MaxSize: 6,
        MixedInstancesPolicy: {
          ...g!.MixedInstancesPolicy,
          LaunchTemplate: {
            LaunchTemplateSpecification: {
              LaunchTemplateId: lt.LaunchTemplateSpecification!.LaunchTemplateId!,
              Version: lt.LaunchTemplateSpecification!.Version!,
            },
            Overrides: [...lt.Overrides!, { InstanceType: 'g5.xlarge' }],
          },
        },
      }),
    );
    const groups = await ec2.send(
      new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: [`${STACK}-ollama`] }] }),
    );
    const sg = groups.SecurityGroups!.find((s) => s.GroupName !== 'default')!;
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: sg.GroupId!,
        IpPermissions: [
          {
            IpProtocol: 'tcp',
            FromPort: 22,
            ToPort: 22,
            IpRanges: [{ CidrIp: '203.0.113.7/32', Description: 'debug' }],
          },
        ],
      }),
    );
    autoScaling.destroy();
    ec2.destroy();

    const r = await checkStack();
    expect(r).toMatchObject({ stack: STACK, status: 'drifted', version: 1 });
    // Exactly what was changed: nothing the provider merely reads back differently (an unset
    // list is null after apply and [] after a refresh) and not the flow-log role's inline policy,
    // which the stack's own aws_iam_role_policy puts there.
    expect(r.drift.map((d) => [d.address, d.attribute])).toEqual([
      [ASG, 'max_size'],
      [ASG, 'mixed_instances_policy'],
      [SG, 'ingress'],
    ]);
    expect(r.owned.map((o) => [o.address, o.attribute, o.ownedBy])).toEqual([
      ['module.ollama.aws_iam_role.flow', 'inline_policy', "the stack's module.ollama.aws_iam_role_policy.flow"],
    ]);
    const types = (v: unknown) =>
      (
        v as Array<{ launch_template: Array<{ override: Array<{ instance_type: string }> }> }>
      )[0]!.launch_template[0]!.override.map((o) => o.instance_type);
    const mixed = r.drift[1]!;
    expect([types(mixed.expected), types(mixed.actual)]).toEqual([['g4dn.xlarge'], ['g4dn.xlarge', 'g5.xlarge']]);
    const ports = (v: unknown) =>
      (v as Array<{ from_port: number; cidr_blocks: string[] }>).map((i) => [i.from_port, i.cidr_blocks]);
    expect(ports(r.drift[2]!.expected)).toEqual([[11434, spec.params.allowedCidrs]]);
    expect(ports(r.drift[2]!.actual)).toEqual([
      [11434, spec.params.allowedCidrs],
      [22, ['203.0.113.7/32']],
    ]);
    const text = renderDriftRun([r]);
    expect(text).toContain(`  drift: ${STACK} ${ASG} max_size: 2 → 6`);
    expect(text.at(-1)).toBe('drift found in 1 of 1 stack');
  });

  it('Adopt maps the provider-read drift to spec params: max size and instance types, not the SSH rule', async () => {
    const applied = (await crew.stacks.current(STACK))!;
    const submitted: GoalStatement[] = [];
    // What Adopt submits is looked at here, not planned: Atlas and the plan are the same on every target.
    const ops = {
      submitGoal: (goal: GoalStatement) => {
        submitted.push(goal);
        return Promise.resolve(ok({ id: 'p-adopted' } as PlanRecord));
      },
    };
    const r = await adoptDrift(
      { ops, stacks: crew.stacks, store },
      { stack: STACK, by: 'alice', producer: 'test', version: applied.version },
    );
    if (!r.ok) throw new Error(r.refusal);
    expect(submitted).toEqual([
      expect.objectContaining({
        stack: STACK,
        target: 'aws',
        requestedBy: 'alice',
        drift: {
          action: 'adopt',
          version: applied.version,
          set: { maxSize: 6, instanceTypes: ['g4dn.xlarge', 'g5.xlarge'] },
        },
      }),
    ]);
    expect(describeMapping(r.value.mapping!)).toEqual([
      `adopt: maxSize 2 → 6 (observed ${ASG} max_size)`,
      `adopt: instanceTypes ["g4dn.xlarge"] → ["g4dn.xlarge","g5.xlarge"] (observed ${ASG} mixed_instances_policy)`,
      `not adopted: ${SG} ingress: no aws-spot-ollama spec param maps to aws_security_group.ingress`,
    ]);
  });

  it('Snooze silences the drifted stack until the date: the check reads nothing from AWS', async () => {
    const base = { store, stacks: crew.stacks, plans: crew.plans, access: { approvers: ['bob'] }, now: now() };
    expect(await snoozeDrift(base, STACK, '2026-12-02', 'alice')).toMatchObject({ ok: false });
    // To the end of today (UTC): the stack still has the drift reported above.
    const s = await snoozeDrift(base, STACK, '2026-12-02', 'bob');
    expect(s).toMatchObject({ ok: true, snooze: { until: '2026-12-02T23:59:59.000Z', by: 'bob' } });
    const calls = aws.calls.length;
    const snoozed = await checkStack();
    expect(snoozed).toMatchObject({ status: 'snoozed', drift: [], note: expect.stringContaining('2026-12-02') });
    expect(aws.calls.length).toBe(calls);
    expect(renderDriftRun([snoozed]).join('\n')).not.toContain('max_size');
  });

  it('Revert plans the approved spec back, waits for another person, and after apply the check is clean', async () => {
    // The next day: the snooze is over, and the weekend schedule is not in force.
    setClock(THURSDAY_NOON);
    const applied = (await crew.stacks.current(STACK))!;
    const r = await revertDrift(
      { ops: crew.ops, stacks: crew.stacks, store },
      { stack: STACK, by: 'alice', producer: 'test', version: applied.version },
    );
    if (!r.ok) throw new Error(r.refusal);
    const plan = await until(r.value.plan.id, ['WAIT_FOR_APPROVE']);
    expect(plan.requestedBy).toBe('alice');
    expect(plan.spec?.params).toEqual(applied.spec!.params);
    const json = JSON.parse((await crew.artifacts.get(plan.planJson!.sha256))!.toString('utf8')) as {
      resource_changes: Array<{ address: string; change: { actions: string[]; before: never; after: never } }>;
    };
    const change = (address: string) => json.resource_changes.find((c) => c.address === address)!.change;
    const asg = change(ASG) as { actions: string[]; before: { max_size: number }; after: { max_size: number } };
    expect([asg.actions, asg.before.max_size, asg.after.max_size]).toEqual([['update'], 6, 2]);
    const sg = change(SG) as { actions: string[]; before: { ingress: unknown[] }; after: { ingress: unknown[] } };
    expect([sg.actions, sg.before.ingress.length, sg.after.ingress.length]).toEqual([['update'], 2, 1]);
    // Nothing is applied without a human, and not by the one who asked.
    expect((await crew.ops.decide(plan.id, 'approve', 'alice', 'test')).ok).toBe(false);
    expect(group().maxSize).toBe(6);

    const approved = await crew.ops.decide(plan.id, 'approve', 'bob', 'test');
    if (!approved.ok) throw new Error(approved.refusal);
    const before = group().instanceIds;
    await until(plan.id, ['DONE']);
    expect(group()).toMatchObject({ maxSize: 2, desiredCapacity: 2 });
    // The instance types changed back: the provider refreshed the running instances (the module's
    // instance_refresh), each replacement launched before the old one stops.
    const refresh = aws.calls.filter((c) => c.action === 'StartInstanceRefresh');
    expect(refresh).toHaveLength(1);
    expect(refresh[0]?.params).toMatchObject({
      AutoScalingGroupName: GROUP,
      Strategy: 'Rolling',
      'Preferences.MinHealthyPercentage': '100',
      'Preferences.MaxHealthyPercentage': '200',
      'Preferences.SkipMatching': 'true',
    });
    expect(group().instanceIds.some((id) => before.includes(id))).toBe(false);
    // Checked again (the snooze is over), and nothing is left to report.
    const calls = aws.calls.length;
    const clean = await checkStack();
    expect(clean).toMatchObject({ status: 'clean', drift: [], version: applied.version + 1 });
    expect(aws.calls.length).toBeGreaterThan(calls);
  }, 480_000);

  it('capacity the stop action set inside its window is not drift, nor the next run AWS moved on', async () => {
    // Friday 22:00 has passed: AWS ran the stop action.
    setClock(SATURDAY_NOON);
    aws.runScheduledAction(GROUP, `${GROUP}-stop`);
    expect(group()).toMatchObject({ minSize: 0, maxSize: 0, desiredCapacity: 0 });
    const r = await checkStack();
    expect(r).toMatchObject({ status: 'clean', drift: [] });
    const owned = Object.fromEntries(
      r.owned.map((o) => [`${o.address} ${o.attribute}`, [o.expected, o.actual, o.ownedBy]]),
    );
    expect(owned[`${ASG} desired_capacity`]).toEqual([
      2,
      0,
      'the stop action of the weekly schedule (off FRI 22:00 → MON 07:00 UTC; now inside the off window)',
    ]);
    expect(owned[`${ASG} max_size`]?.slice(0, 2)).toEqual([2, 0]);
    expect(owned[`module.ollama.aws_autoscaling_schedule.stop[0] start_time`]?.slice(0, 2)).toEqual([
      '2026-12-04T22:00:00Z',
      '2026-12-11T22:00:00Z',
    ]);
    expect(renderDriftRun([r]).at(-1)).toBe('clean: no drift in 1 stack');
  });
});
