import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  DescribeInstanceRefreshesCommand,
} from '@aws-sdk/client-auto-scaling';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepRollouts } from '../../../../src/agents/forge/follow-rollouts.js';
import { streamKey } from '../../../../src/redis/keys.js';
import { RolloutWatchStore } from '../../../../src/store/rollout-watch-store.js';
import { createLogger } from '../../../../src/log/create-logger.js';
import type { PlanRecord } from '../../../../src/plan/plan-record.js';
import type { CrewRuntime } from '../../../../src/runtime/start-crew.js';
import type { AwsEndpoint } from '../../../support/aws-endpoint/start-aws-endpoint.js';
import { appliedOnAws, startAwsCrew, untilPlan, type AwsCrew } from '../../../support/aws-crew.js';
import { endpointClientConfig } from '../../../support/aws-target.js';
import { jsonOf, runCrew, spawnCrew } from '../../../support/run-crew.js';
import { waitFor } from '../../../support/wait-for.js';

// A rollback while AWS is still replacing the instances a change of instance type started (an
// instance refresh runs for minutes on real AWS, and the apply ends once it has started): the
// real hashicorp/aws provider, through the in-process crew, against the local AWS endpoint with
// its refreshes held in progress. AWS runs one refresh per group at a time; the rollback must
// cancel the one under way and start its own, not fail with InstanceRefreshInProgress. `crew
// rollout` (the real CLI, on the same Redis) shows the refreshes and follows one to its end.

const STACK = 'refresh-aws';
const GROUP = `${STACK}-ollama`;
const WEDNESDAY_NOON = new Date('2026-12-02T12:00:00Z').getTime();
const startedAt = Date.now();
const now = (): Date => new Date(WEDNESDAY_NOON + (Date.now() - startedAt));

let rig: AwsCrew;
let redis: Redis;
let crew: CrewRuntime;
let aws: AwsEndpoint;
let asg: AutoScalingClient;
let env: Record<string, string>;

const until = (id: string, states: PlanRecord['state'][]) => untilPlan(crew, id, states);
const applied = (text: string) => appliedOnAws(crew, text);

/** The instance types the group launches, as AWS describes it. */
async function groupTypes(): Promise<string[]> {
  const out = await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [GROUP] }));
  const overrides = out.AutoScalingGroups?.[0]?.MixedInstancesPolicy?.LaunchTemplate?.Overrides ?? [];
  return overrides.map((o) => o.InstanceType ?? '');
}

/** The group's refreshes as AWS lists them (newest first): status and instances still to replace. */
async function refreshes(): Promise<Array<[string, number]>> {
  const out = await asg.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: GROUP }));
  return (out.InstanceRefreshes ?? []).map((r) => [r.Status ?? '', r.InstancesToUpdate ?? -1]);
}

const calls = (action: string) => aws.calls.filter((c) => c.action === action && c.status === 200);

beforeAll(async () => {
  // The crew's own prefix: the CLI below reads the same stores.
  rig = await startAwsCrew({ now, dataPrefix: 'crew-refresh-aws-' });
  ({ redis, crew, aws, env } = rig);
  asg = new AutoScalingClient(endpointClientConfig(aws));
  await applied(`private Ollama on spot g4dn.xlarge in us-east-1, 2 instances, budget $2000/month, stack ${STACK}`);
}, 360_000);

afterAll(async () => {
  asg?.destroy();
  await rig?.close();
});

describe('a rollback while the instance refresh of the change it undoes is still running', () => {
  it('cancels the refresh under way, starts its own, and puts the instance types back', async () => {
    aws.holdRefreshes(true);
    const change = await applied(`switch ${STACK} to g5.xlarge`);
    expect(await groupTypes()).toEqual(['g5.xlarge']);
    // The apply is done; AWS is still replacing both instances.
    expect(await refreshes()).toEqual([['InProgress', 2]]);
    expect(calls('StartInstanceRefresh')).toHaveLength(1);
    // The crew follows it (crew serve sweeps the watches): this apply's, from when it began; the
    // stack's first apply (which started none) is followed no more.
    const watches = new RolloutWatchStore({ redis });
    await waitFor(async () => (await watches.list())[0]?.planId === change.id);
    const [watch] = await watches.list();
    expect(watch).toMatchObject({ planId: change.id, stack: STACK, group: GROUP, region: 'us-east-1' });
    expect(Date.parse(watch!.since)).toBeLessThanOrEqual(Date.parse(change.updatedAt));
    // What a person sees of it: the refresh under way, and a follow that gives up at its timeout.
    const shown = await runCrew(['rollout', STACK, '--json'], env);
    expect(shown.code, shown.stderr).toBe(0);
    expect(jsonOf<{ group: string; outcome: string; refreshes: unknown[] }>(shown)).toMatchObject({
      group: GROUP,
      outcome: 'running',
      refreshes: [{ status: 'InProgress', percentComplete: 0, instancesToUpdate: 2 }],
    });
    const gaveUp = await runCrew(['rollout', STACK, '--wait', '--every', '0.2', '--timeout', '1'], env);
    expect(gaveUp.code).toBe(1);
    expect(gaveUp.stderr).toContain('InProgress 0%, 2 instance(s) to replace');
    expect(gaveUp.stderr).toContain('still running after 1 s (--timeout)');

    const r = await crew.ops.requestRollback(change.id, 'alice', 'the new type does not serve');
    if (!r.ok) throw new Error(r.refusal);
    const back = await until(change.id, ['ROLLED_BACK']);
    expect(back.state).toBe('ROLLED_BACK');
    // The rollback's refresh is the one followed now (recorded right after the move that woke us).
    await waitFor(async () => (await watches.list())[0]?.since === back.rollback?.startedAt);
    expect(await watches.list()).toEqual([expect.objectContaining({ planId: change.id, stack: STACK })]);
    expect(await groupTypes()).toEqual(['g4dn.xlarge']);
    // One refresh at a time on a group: the change's was cancelled before the rollback's started.
    const cancel = calls('CancelInstanceRefresh');
    expect(cancel).toHaveLength(1);
    expect(cancel[0]?.params).toMatchObject({ AutoScalingGroupName: GROUP });
    const starts = calls('StartInstanceRefresh');
    expect(starts).toHaveLength(2);
    expect(starts[0]!.at <= cancel[0]!.at && cancel[0]!.at <= starts[1]!.at).toBe(true);
    expect(await refreshes()).toEqual([
      ['InProgress', 2],
      ['Cancelled', 0],
    ]);
    // The rollback's refresh runs to its end: the instances are new ones, of the old type.
    const before = (
      await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [GROUP] }))
    ).AutoScalingGroups?.[0]?.Instances?.map((i) => i.InstanceId);
    // Followed until it ends: exit 0 once AWS says Successful.
    const follow = spawnCrew(['rollout', STACK, '--wait', '--every', '0.2', '--timeout', '60'], env);
    await new Promise((done) => setTimeout(done, 1500));
    aws.finishRefreshes();
    const followed = await follow.done;
    expect(followed.code, followed.stderr).toBe(0);
    expect(followed.stdout).toContain(`stack ${STACK}, group ${GROUP} (us-east-1)`);
    expect(followed.stdout).toMatch(/Successful 100%, ended \S+ \(/);
    expect(followed.stdout).toMatch(/Cancelled 0%, ended /);
    expect((await refreshes())[0]).toEqual(['Successful', 0]);
    // The plan's thread is told, once, and the watch ends.
    const logger = createLogger({ level: 'silent' });
    expect(await sweepRollouts({ watches, bus: crew.bus, client: () => asg, logger, now })).toBe(1);
    const told = (await redis.xrange(streamKey('crew', 'ops.event'), '-', '+'))
      .map(([, f]) => JSON.parse(f[1]!) as { planId: string; payload: { kind: string; detail: string } })
      .filter((e) => e.payload.kind === 'rollout');
    expect(told).toEqual([
      expect.objectContaining({
        planId: change.id,
        payload: expect.objectContaining({
          detail: expect.stringContaining(`AWS replaced the running instances of ${GROUP}`),
        }),
      }),
    ]);
    expect(await watches.list()).toEqual([]);
    const after = (
      await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [GROUP] }))
    ).AutoScalingGroups?.[0]?.Instances?.map((i) => i.InstanceId);
    expect(after).toHaveLength(2);
    expect(after?.some((id) => before?.includes(id))).toBe(false);
  }, 480_000);

  it('says what is wrong with a stack it cannot follow, and reads nothing from AWS', async () => {
    const before = aws.calls.length;
    const unknown = await runCrew(['rollout', 'nope-stack'], env);
    expect([unknown.code, unknown.stderr]).toEqual([
      1,
      expect.stringContaining('error: no applied stack named nope-stack'),
    ]);
    const bad = await runCrew(['rollout', STACK, '--wait', '--every', 'soon'], env);
    expect([bad.code, bad.stderr]).toEqual([1, expect.stringContaining('--every soon is not a number of seconds')]);
    expect(aws.calls.length).toBe(before);
  });
});
