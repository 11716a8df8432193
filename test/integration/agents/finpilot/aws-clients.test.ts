import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAutoScalingClient, describeAwsOptions } from '../../../../src/agents/finpilot/aws-clients.js';
import { readAwsOptions } from '../../../../src/config/read-aws-settings.js';
import { finopsSlackDeps } from '../../../../src/agents/finpilot/finops-slack-deps.js';
import { startAwsStandIn, type AwsStandIn } from '../../../support/aws-stand-in.js';
import { TEST_CREDENTIALS } from '../../../support/schedule-fixture.js';

let aws: AwsStandIn;
beforeAll(async () => {
  aws = await startAwsStandIn();
  aws.addAsg({ name: 'a', minSize: 0, maxSize: 1, desiredCapacity: 1 });
});
afterAll(async () => aws.stop());

describe('AWS client configuration', () => {
  it('reads region, attempts and an optional dedicated key once, and never prints the secret', () => {
    const o = readAwsOptions({
      CREW_REGION: 'eu-west-1',
      CREW_AWS_MAX_ATTEMPTS: '5',
      CREW_AWS_ACCESS_KEY_ID: 'AKIDX',
      CREW_AWS_SECRET_ACCESS_KEY: 'very-secret',
    });
    expect(o).toMatchObject({ region: 'eu-west-1', maxAttempts: 5, credentials: { accessKeyId: 'AKIDX' } });
    expect(Object.isFrozen(o)).toBe(true);
    expect(describeAwsOptions(o)).not.toMatch(/very-secret|AKIDX/);
    expect(() => readAwsOptions({ CREW_AWS_MAX_ATTEMPTS: '0' })).toThrow(/CREW_AWS_MAX_ATTEMPTS/);
    expect(() => readAwsOptions({ CREW_AWS_ACCESS_KEY_ID: 'x' })).toThrow(/both/);
    expect(readAwsOptions({}, 'us-west-2')).toEqual({ region: 'us-west-2', maxAttempts: 3 });
  });

  it('the SDK honours AWS_ENDPOINT_URL_AUTO_SCALING natively, and an explicit endpoint wins over it', async () => {
    const before = process.env.AWS_ENDPOINT_URL_AUTO_SCALING;
    try {
      process.env.AWS_ENDPOINT_URL_AUTO_SCALING = aws.url;
      const viaEnv = createAutoScalingClient({ region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 });
      const res = await viaEnv.send(new DescribeAutoScalingGroupsCommand({}));
      expect(res.AutoScalingGroups?.map((g) => g.AutoScalingGroupName)).toEqual(['a']);
      expect(res.$metadata.requestId).toBeTruthy();
      process.env.AWS_ENDPOINT_URL_AUTO_SCALING = 'http://127.0.0.1:9';
      const explicit = createAutoScalingClient({
        region: 'us-east-1',
        credentials: TEST_CREDENTIALS,
        endpoint: aws.url,
        maxAttempts: 1,
      });
      await expect(explicit.send(new DescribeAutoScalingGroupsCommand({}))).resolves.toBeDefined();
    } finally {
      if (before === undefined) delete process.env.AWS_ENDPOINT_URL_AUTO_SCALING;
      else process.env.AWS_ENDPOINT_URL_AUTO_SCALING = before;
    }
  });
});

describe('finopsSlackDeps', () => {
  it('turns /crew schedule into goals for the pipeline and answers usage otherwise', async () => {
    const goals: { text: string; requestedBy: string }[] = [];
    const ops = {
      submitGoal: async (g: { text: string; requestedBy: string }) => (
        goals.push(g),
        { ok: true as const, value: { id: 'p-test1234' } }
      ),
    };
    const deps = finopsSlackDeps({
      ops,
      timezone: 'Europe/Paris',
      digest: {
        redis: undefined as never,
        stacks: { stacks: async () => [], current: async () => undefined },
        region: 'us-east-1',
      },
    });
    expect(await deps.schedule('weekend web-asg', 'U1')).toBe(
      'plan p-test1234 submitted ("weekend schedule for asg web-asg in Europe/Paris"); the review follows in its thread',
    );
    expect(await deps.schedule('off web-asg', 'U1')).toContain('drop the schedule on asg web-asg');
    expect(await deps.schedule('weekend web-asg Nowhere/City', 'U1')).toMatch(/^error: .*not an IANA time zone/);
    expect(await deps.schedule('show web-asg', 'U1')).toMatch(/AWS is not configured/);
    expect(await deps.schedule('explode', 'U1')).toMatch(/^usage:/);
    expect(goals.map((g) => g.requestedBy)).toEqual(['U1', 'U1']);
  });
});
