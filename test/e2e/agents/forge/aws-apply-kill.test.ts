import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAwsEndpoint, type AwsEndpoint } from '../../../support/aws-endpoint/start-aws-endpoint.js';
import { requireAwsMirror } from '../../../support/aws-target.js';
import { jsonOf, makeCrewEnv, type CrewEnv } from '../../../support/crew-env.js';
import { waitFor } from '../../../support/wait-for.js';

// kill -9 of the crew process while the real provider is creating resources at the local AWS
// endpoint: Terraform finishes on its own, and `crew wait` finds the plan applied without
// creating anything a second time (the endpoint counts every creating call).

let aws: AwsEndpoint;
let t: CrewEnv;
beforeAll(async () => {
  const mirror = requireAwsMirror();
  aws = await startAwsEndpoint({ region: 'us-east-1' });
  t = await makeCrewEnv({ CREW_TF_PLUGIN_MIRROR: mirror, ...aws.env() });
});
afterAll(async () => {
  await t?.close();
  await aws?.stop();
});

const goal = (stack: string, type: string) =>
  `private Ollama on spot ${type} in us-east-1, 2 instances, off on weekends, budget $2000/month, stack ${stack}`;

// A hang detector, not a time limit: real-provider chains take minutes on a loaded machine.
describe('an aws apply in flight when the crew process is killed', { timeout: 420_000 }, () => {
  it('survives kill -9 during an apply: crew wait ends DONE and nothing is created twice', async () => {
    const stack = 'ollama-killed';
    const planned = await t.crew(['plan', goal(stack, 'g4dn.xlarge'), '--target', 'aws', '--as', 'alice', '--json']);
    expect(planned.code, planned.stderr).toBe(0);
    const { id } = jsonOf<{ id: string }>(planned);
    const before = aws.createCounts();
    // The group's creation takes a while, so the crew process dies with Terraform mid-apply.
    aws.delay('CreateAutoScalingGroup', 8_000);
    try {
      const seen = aws.calls.length;
      const approving = t.start(['approve', id, '--as', 'bob', '--json']);
      await waitFor(() => aws.calls.slice(seen).some((c) => c.action === 'CreateAutoScalingGroup'), {
        timeoutMs: 90_000,
        what: 'the apply to create the Auto Scaling group',
      });
      approving.kill('SIGKILL');
      expect((await approving.done).signal).toBe('SIGKILL');
      const resumed = await t.crew(['wait', id, '--json', '--timeout', '150']);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(jsonOf(resumed), resumed.stdout).toMatchObject({ id, state: 'DONE', version: 1 });
    } finally {
      aws.delay('CreateAutoScalingGroup', 0);
    }
    const after = aws.createCounts();
    for (const action of ['CreateVpc', 'CreateAutoScalingGroup', 'CreateLaunchTemplate', 'CreateSecurityGroup'])
      expect(after[action] ?? 0, action).toBe((before[action] ?? 0) + 1);
  });
});
