import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireAwsMirror } from '../../../support/aws-target.js';
import { startAwsEndpoint, type AwsEndpoint } from '../../../support/aws-endpoint/start-aws-endpoint.js';
import { jsonOf, makeCrewEnv, type CrewEnv } from '../../../support/crew-env.js';

// The aws target end to end: the real crew CLI, the real hashicorp/aws provider from the
// filesystem mirror, and a local AWS endpoint (test/support/aws-endpoint) that keeps what the
// provider creates, so apply and rollback can be checked on the "cloud" side.

interface PlanOut {
  id: string;
  state: string;
  stack: string;
  reason?: string;
  planSpec: { target: string; params: Record<string, unknown> };
  validation?: { verdict: string; findings: Array<{ ruleId: string; address: string }>; cost: { monthlyUsd: number } };
}
interface ResourceChange {
  address: string;
  type: string;
  provider_name: string;
  change: { actions: string[] };
}

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

function planJson(stack: string, id: string): ResourceChange[] {
  const dir = join(t.dataDir, 'stacks', stack, 'plans');
  const name = readdirSync(dir).find((f) => f.startsWith(`${id}-`) && f.endsWith('.plan.json'));
  if (!name) throw new Error(`no plan JSON of ${id} in ${dir}: ${readdirSync(dir).join(', ')}`);
  const file = join(dir, name);
  return (JSON.parse(readFileSync(file, 'utf8')) as { resource_changes: ResourceChange[] }).resource_changes;
}

const goal = (stack: string, type: string) =>
  `private Ollama on spot ${type} in us-east-1, 2 instances, off on weekends, budget $2000/month, stack ${stack}`;

// A hang detector, not a time limit: real-provider chains take minutes on a loaded machine.
describe('the aws target with the real provider against a local AWS endpoint', { timeout: 420_000 }, () => {
  it('plans, applies the approved plan file, updates in place and rolls back to nothing', async () => {
    const stack = 'ollama-aws';
    const planned = await t.crew(['plan', goal(stack, 'g4dn.xlarge'), '--target', 'aws', '--as', 'alice', '--json']);
    expect(planned.code, planned.stderr).toBe(0);
    const first = jsonOf<PlanOut>(planned);
    expect(first.state).toBe('WAIT_FOR_APPROVE');
    expect(first.planSpec.target).toBe('aws');
    expect(first.validation?.verdict).toBe('PASS');
    const changes = planJson(stack, first.id);
    expect(changes.length).toBeGreaterThan(10);
    expect(new Set(changes.map((c) => c.provider_name))).toEqual(new Set(['registry.terraform.io/hashicorp/aws']));
    expect(changes.map((c) => c.type)).toEqual(
      expect.arrayContaining(['aws_vpc', 'aws_autoscaling_group', 'aws_launch_template', 'aws_autoscaling_schedule']),
    );
    // Planning created nothing.
    expect(aws.createCounts()).toEqual({});

    const approved = await t.crew(['approve', first.id, '--as', 'bob', '--json']);
    expect(approved.code, approved.stderr).toBe(0);
    expect(jsonOf(approved)).toMatchObject({ id: first.id, state: 'DONE', version: 1 });
    expect(aws.resources('vpc')).toHaveLength(1);
    expect(aws.resources('autoscaling-group')).toHaveLength(1);
    expect(aws.resources('scheduled-action')).toHaveLength(2);
    expect(aws.createCounts().CreateVpc).toBe(1);

    // A change of instance type updates the launch template and the group in place.
    const changed = await t.crew(['plan', goal(stack, 'g5.xlarge'), '--target', 'aws', '--as', 'alice', '--json']);
    expect(changed.code, changed.stderr).toBe(0);
    const second = jsonOf<PlanOut>(changed);
    const actions = planJson(stack, second.id).filter(
      (c) => !c.change.actions.includes('no-op') && !c.change.actions.includes('read'),
    );
    expect(actions.length).toBeGreaterThan(0);
    for (const c of actions) expect(c.change.actions, c.address).toEqual(['update']);
    const updated = await t.crew(['approve', second.id, '--as', 'bob', '--json']);
    expect(updated.code, updated.stderr).toBe(0);
    expect(aws.createCounts().CreateVpc).toBe(1);
    expect(aws.createCounts().CreateAutoScalingGroup).toBe(1);

    const back = await t.crew(['rollback', second.id, '--as', 'alice', '--json']);
    expect(back.code, back.stderr).toBe(0);
    const gone = await t.crew(['rollback', first.id, '--as', 'alice', '--json']);
    expect(gone.code, gone.stderr).toBe(0);
    expect(jsonOf(gone)).toMatchObject({ state: 'ROLLED_BACK', rollback: { toVersion: 0 } });
    expect(aws.state.summary()).toEqual({});
  });

  it('blocks a world-open port before anything is applied', async () => {
    const before = aws.createCounts();
    const r = await t.crew([
      'plan',
      'private Ollama on spot g4dn.xlarge, open port 11434 to 0.0.0.0/0, stack ollama-open',
      '--target',
      'aws',
      '--as',
      'alice',
      '--json',
    ]);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(2);
    const plan = jsonOf<PlanOut>(r);
    expect(plan.state).toBe('BLOCKED');
    expect(plan.validation?.findings.some((f) => /aws_security_group/.test(f.address))).toBe(true);
    expect(aws.createCounts()).toEqual(before);
  });

  it('fails a plan whose credentials AWS rejects, with the reason and nothing applied', async () => {
    aws.rejectCredentials('ExpiredToken', 'The security token included in the request is expired');
    try {
      const r = await t.crew([
        'plan',
        goal('ollama-expired', 'g4dn.xlarge'),
        '--target',
        'aws',
        '--as',
        'alice',
        '--json',
      ]);
      expect(r.code).not.toBe(0);
      expect(`${r.stdout}\n${r.stderr}`).toContain('AWS rejected the credentials: ExpiredToken');
      expect(`${r.stdout}\n${r.stderr}`).not.toMatch(/\n\s+at .*\.js:\d+/);
    } finally {
      aws.acceptCredentials();
    }
  });
});
