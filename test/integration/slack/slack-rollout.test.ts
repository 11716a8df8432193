import {
  AutoScalingClient,
  CreateAutoScalingGroupCommand,
  StartInstanceRefreshCommand,
} from '@aws-sdk/client-auto-scaling';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeRollout } from '../../../src/agents/forge/read-rollout.js';
import { APPLY_PATH } from '../../../src/plan/plan-states.js';
import { startAwsEndpoint, type AwsEndpoint } from '../../support/aws-endpoint/start-aws-endpoint.js';
import { awsTargetSpec, endpointClientConfig } from '../../support/aws-target.js';
import { commandFields } from '../../support/slack-stand-in.js';
import { ALICE, REVIEW, startHarness, type SlackHarness } from '../../support/slack-harness.js';

// `/crew rollout <stack>` through the Slack stand-in: the instance refreshes of a stack applied on
// AWS, read from the local AWS endpoint through the SDK, as `crew rollout` shows them.

let h: SlackHarness;
let aws: AwsEndpoint;
let asg: AutoScalingClient;

beforeAll(async () => {
  aws = await startAwsEndpoint({ region: 'us-east-1' });
  asg = new AutoScalingClient(endpointClientConfig(aws));
  h = await startHarness('socket', {
    finops: {
      rollout: (stack) =>
        describeRollout(
          { stacks: h.server.crew.stacks, plans: h.server.crew.plans, region: 'us-east-1', client: () => asg },
          stack,
        ),
    },
  });
  // A stack applied on AWS: its plan DONE with the group it made, the group's refresh under way.
  const { plans, stacks } = h.server.crew;
  const spec = { ...awsTargetSpec({ desiredCapacity: 2 }), stack: 'seeded', region: 'us-east-1' };
  await plans.create({ id: 'p-seeded01', goal: 'seeded', requestedBy: ALICE });
  for (const e of APPLY_PATH) await plans.advance('p-seeded01', e, 'test', 'seed', { stack: 'seeded' });
  await plans.patch('p-seeded01', { outputs: { autoscaling_group_name: 'seeded-ollama' } });
  await stacks.recordApplied('seeded', {
    planId: 'p-seeded01',
    spec,
    monthlyUsd: 100,
    appliedAt: new Date().toISOString(),
  });
  await asg.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: 'seeded-ollama',
      MinSize: 0,
      MaxSize: 2,
      DesiredCapacity: 2,
    }),
  );
  aws.holdRefreshes(true);
  await asg.send(new StartInstanceRefreshCommand({ AutoScalingGroupName: 'seeded-ollama', Strategy: 'Rolling' }));
}, 60_000);
afterAll(async () => {
  await h?.close();
  asg?.destroy();
  await aws?.stop();
});

async function crewCommand(text: string): Promise<string> {
  const responseUrl = h.standIn.responseUrl();
  await h.command(commandFields({ command: '/crew', text, user: ALICE, channel: REVIEW, responseUrl }));
  const r = await h.standIn.waitFor(
    () => h.standIn.responses.find((x) => responseUrl.endsWith(x.id)),
    `the answer to /crew ${text}`,
    30_000,
  );
  return String(r.body.text);
}

describe('/crew rollout in Slack', () => {
  it("shows the stack's refresh under way, as AWS describes it", async () => {
    const text = await crewCommand('rollout seeded');
    expect(text).toMatch(
      /^```stack seeded, group seeded-ollama \(us-east-1\)\n {2}InProgress 0%, 2 instance\(s\) to replace, started \S+ \(\S+\)```$/,
    );
  });

  it('says why a stack has no refresh to show, and how to ask', async () => {
    expect(await crewCommand('rollout nope')).toBe('```no applied stack named nope```');
    expect(await crewCommand('rollout')).toBe('Usage: `/crew rollout <stack>`');
    expect(await crewCommand('help')).toContain('`/crew rollout <stack>`');
  });
});
