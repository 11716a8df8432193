import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAwsStandIn, type AwsStandIn } from '../../../support/aws-stand-in.js';
import { jsonOf, makeCrewEnv, type CrewEnv } from '../../../support/crew-env.js';

let t: CrewEnv;
let aws: AwsStandIn;
let env: Record<string, string>;
beforeAll(async () => {
  t = await makeCrewEnv();
  aws = await startAwsStandIn();
  aws.addAsg({ name: 'ollama-dev-asg', minSize: 1, maxSize: 4, desiredCapacity: 2 });
  env = {
    AWS_ENDPOINT_URL_AUTO_SCALING: aws.url,
    AWS_ENDPOINT_URL_EC2: aws.url,
    AWS_ACCESS_KEY_ID: 'AKIATESTTESTTESTTEST',
    AWS_SECRET_ACCESS_KEY: 'test-secret-key-for-the-stand-in',
    AWS_REGION: 'us-east-1',
  };
});
afterAll(async () => {
  await aws.stop();
  await t.close();
});

describe('crew schedule weekend: the kill-switch through the pipeline and the AWS SDK', () => {
  it('plans the paired actions, applies them after approval with the real sizes, and rolls back exactly', async () => {
    const planned = await t.crew(
      ['schedule', 'weekend', 'ollama-dev-asg', 'Europe/Berlin', '--as', 'alice', '--json'],
      env,
    );
    expect(planned.code, planned.stderr).toBe(0);
    const plan = jsonOf<{ id: string; state: string; validation: { verdict: string } }>(planned);
    expect(plan.state).toBe('WAIT_FOR_APPROVE');
    expect(plan.validation.verdict).toBe('PASS');
    expect(aws.actions('ollama-dev-asg')).toEqual([]); // planning changes nothing

    const approved = await t.crew(['approve', plan.id, '--as', 'bob'], env);
    expect(approved.code, approved.stderr).toBe(0);
    const actions = aws.actions('ollama-dev-asg');
    const stop = actions.find((a) => a.name.includes('stop'));
    const start = actions.find((a) => a.name.includes('start'));
    expect(stop).toMatchObject({
      recurrence: '0 22 * * 5',
      timeZone: 'Europe/Berlin',
      minSize: 0,
      maxSize: 0,
      desiredCapacity: 0,
    });
    expect(start).toMatchObject({
      recurrence: '0 7 * * 1',
      timeZone: 'Europe/Berlin',
      minSize: 1,
      maxSize: 4,
      desiredCapacity: 2,
    });

    const rolled = await t.crew(['rollback', plan.id, '--as', 'alice'], env);
    expect(rolled.code, rolled.stderr).toBe(0);
    expect(aws.actions('ollama-dev-asg')).toEqual([]);
  });
});
