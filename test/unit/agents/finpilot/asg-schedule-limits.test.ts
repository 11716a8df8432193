import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  DescribeScheduledActionsCommand,
} from '@aws-sdk/client-auto-scaling';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACTIONS_PER_ASG_QUOTA } from '../../../../src/agents/finpilot/diff-schedule-actions.js';
import { AwsCallError } from '../../../../src/agents/finpilot/explain-aws-error.js';
import { listScheduledActions, readAsgState } from '../../../../src/agents/finpilot/read-asg-state.js';
import { createAutoScalingClient } from '../../../../src/agents/finpilot/aws-clients.js';
import {
  scheduleSpec,
  startScheduleFixture,
  TEST_CREDENTIALS,
  WEEKEND,
  type ScheduleFixture,
} from '../../../support/schedule-fixture.js';

const ASG = 'busy-asg';
let f: ScheduleFixture;

beforeEach(async () => {
  f = await startScheduleFixture();
  f.aws.addAsg({ name: ASG, minSize: 1, maxSize: 2, desiredCapacity: 1 });
});
afterEach(async () => f.close());

function fill(n: number): void {
  for (let i = 0; i < n; i++)
    f.aws.setAction(ASG, {
      name: `team-${String(i).padStart(3, '0')}`,
      recurrence: `${i % 60} 3 * * *`,
      timeZone: 'UTC',
      desiredCapacity: 1,
    });
}

describe('limits and failures', () => {
  it('follows NextToken across pages of scheduled actions', async () => {
    fill(120);
    const all = await listScheduledActions(
      createAutoScalingClient({ region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 }),
      ASG,
    );
    expect(all).toHaveLength(120);
    const describes = f.aws.calls.filter((c) => c.action === 'DescribeScheduledActions');
    expect(describes).toHaveLength(2);
    expect(describes[1]?.params.NextToken).toBeTruthy();
  });

  it('refuses a plan that would pass the 125 actions per group quota, before any AWS write', async () => {
    fill(ACTIONS_PER_ASG_QUOTA - 1);
    const plan = f.runner.plan(scheduleSpec({ asgName: ASG, schedule: WEEKEND }), f.ws, { name: 'p1' });
    await expect(plan).rejects.toThrow(
      /already has 124 scheduled actions; adding 2 would make 126, above the AWS quota of 125/,
    );
    expect(f.aws.calls.some((c) => c.action === 'PutScheduledUpdateGroupAction')).toBe(false);
  });

  it('surfaces throttling with the operation, the AWS code and the request id', async () => {
    f.aws.throttleNext(1);
    const err = await f.runner
      .plan(scheduleSpec({ asgName: ASG, schedule: WEEKEND }), f.ws, { name: 'p1' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AwsCallError);
    const e = err as AwsCallError;
    expect(e.throttled).toBe(true);
    expect(e.awsCode).toBe('Throttling');
    expect(e.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(e.message).toMatch(
      /AWS Auto Scaling throttled DescribeAutoScalingGroups after 1 attempt\(s\).*Rate exceeded.*CREW_AWS_MAX_ATTEMPTS/,
    );
  });

  it('retries throttling when maxAttempts allows it', async () => {
    await f.close();
    f = await startScheduleFixture(3);
    f.aws.addAsg({ name: ASG, minSize: 1, maxSize: 2, desiredCapacity: 1 });
    f.aws.throttleNext(1);
    const state = await f.runner.plan(scheduleSpec({ asgName: ASG, schedule: WEEKEND }), f.ws, { name: 'p1' });
    expect(state.changes).toBe(true);
  });

  it('names a missing group clearly', async () => {
    await expect(
      f.runner.plan(scheduleSpec({ asgName: 'nope', schedule: WEEKEND }), f.ws, { name: 'p1' }),
    ).rejects.toThrow(/Auto Scaling group nope does not exist/);
  });

  it('answers awsQuery errors as the SDK expects: code, message and request id', async () => {
    const client = createAutoScalingClient({ region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 });
    const err = (await client
      .send(new DescribeScheduledActionsCommand({ AutoScalingGroupName: ASG, NextToken: 'bogus' }))
      .catch((e: unknown) => e)) as {
      name: string;
      message: string;
      $metadata: { httpStatusCode: number; requestId: string };
    };
    expect(err.name).toBe('InvalidNextToken');
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect(err.$metadata.requestId).toBeTruthy();
  });
});

describe('in-process mock (aws-sdk-client-mock)', () => {
  it('reads sizes and actions through the SDK command types', async () => {
    const mock = mockClient(AutoScalingClient);
    mock.on(DescribeAutoScalingGroupsCommand).resolves({
      AutoScalingGroups: [
        {
          AutoScalingGroupName: 'm',
          MinSize: 2,
          MaxSize: 4,
          DesiredCapacity: 3,
          AvailabilityZones: [],
          DefaultCooldown: 300,
          HealthCheckType: 'EC2',
          CreatedTime: new Date(),
        },
      ],
    });
    mock
      .on(DescribeScheduledActionsCommand)
      .resolvesOnce({
        ScheduledUpdateGroupActions: [{ ScheduledActionName: 'b', Recurrence: '0 1 * * *', StartTime: new Date() }],
        NextToken: 't',
      })
      .resolvesOnce({
        ScheduledUpdateGroupActions: [{ ScheduledActionName: 'a', StartTime: new Date('2030-01-01T00:00:00Z') }],
      });
    const state = await readAsgState(
      new AutoScalingClient({ region: 'us-east-1', credentials: TEST_CREDENTIALS }),
      'm',
    );
    expect(state).toMatchObject({ minSize: 2, maxSize: 4, desiredCapacity: 3 });
    // A recurring action's StartTime is its next run and must not enter the fingerprint.
    expect(state.actions).toEqual([
      { name: 'a', startTime: '2030-01-01T00:00:00.000Z' },
      { name: 'b', recurrence: '0 1 * * *' },
    ]);
    expect(mock).toHaveReceivedCommandTimes(DescribeScheduledActionsCommand, 2);
    mock.restore();
  });
});
