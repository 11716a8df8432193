import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlanRecord } from '../../../../src/plan/plan-record.js';
import { jsonOf, makeCrewEnv, type CrewEnv } from '../../../support/crew-env.js';

// "scale <stack> to 3" on an applied stack running 2: what the review says is what Terraform
// plans, what Sentinel prices and what runs after apply. The stack has no weekend schedule, so
// the outcome does not depend on the day the test runs (the off-hours case is covered with a
// clock in test/integration/forge/scale-desired-capacity.test.ts).

const STACK = 'ollama-scale';
let t: CrewEnv;
beforeAll(async () => {
  t = await makeCrewEnv();
});
afterAll(async () => t?.close());

type Change = {
  address: string;
  change: { actions: string[]; before: Record<string, unknown> | null; after: Record<string, unknown> | null };
};

async function record(id: string): Promise<PlanRecord> {
  const p = await t.plans().get(id);
  if (!p) throw new Error(`no plan ${id}`);
  return p;
}

function asgChange(p: PlanRecord): Change['change'] {
  const plan = JSON.parse(readFileSync(p.planJson!.path, 'utf8')) as { resource_changes: Change[] };
  return plan.resource_changes.find((r) => r.address === 'aws_autoscaling_group.ollama')!.change;
}

/** Instances Sentinel priced: instance-hours of the group over the hours in a month. */
function pricedInstances(p: PlanRecord): number {
  const asg = p.validation!.cost.resources.find((r) => r.address === 'aws_autoscaling_group.ollama')!;
  return asg.components.filter((c) => c.name.startsWith('Instance usage')).reduce((s, c) => s + c.quantity, 0) / 730;
}

async function appliedDesired(): Promise<unknown> {
  const shown = await execa('terraform', ['show', '-json'], { cwd: join(t.dataDir, 'stacks', STACK) });
  const state = JSON.parse(String(shown.stdout)) as {
    values: { root_module: { resources: Array<{ address: string; values: { input: Record<string, unknown> } }> } };
  };
  return state.values.root_module.resources.find((r) => r.address === 'terraform_data.aws_autoscaling_group__ollama')
    ?.values.input.desired_capacity;
}

describe('scale an applied stack', () => {
  it('"scale ollama-scale to 3" on a stack running 2: plan JSON, review and cost say 3, and 3 run after apply', async () => {
    const first = await t.crew([
      'plan',
      `private Ollama on spot g4dn.xlarge, 2 instances, stack ${STACK}`,
      '--as',
      'alice',
      '--json',
    ]);
    expect(first.code, first.stderr).toBe(0);
    const created = jsonOf<{ id: string }>(first);
    const done = await t.crew(['approve', created.id, '--as', 'bob', '--json']);
    expect(done.code, done.stderr).toBe(0);
    expect(await appliedDesired()).toBe(2);
    expect(pricedInstances(await record(created.id))).toBeCloseTo(2, 6);

    const scaled = await t.crew(['plan', `scale ${STACK} to 3`, '--as', 'alice']);
    expect(scaled.code, scaled.stderr).toBe(0);
    const id = /^plan (p-[a-z0-9]+)/.exec(scaled.stdout)?.[1] ?? '';
    const p = await record(id);
    expect(p.spec?.blueprint === 'aws-spot-ollama' && p.spec.params.desiredCapacity).toBe(3);
    // The plan Terraform saved, as Sentinel reads it.
    expect(asgChange(p)).toMatchObject({
      actions: ['update'],
      before: { desired_capacity: 2, max_size: 2 },
      after: { desired_capacity: 3, max_size: 3 },
    });
    // The cost.
    expect(pricedInstances(p)).toBeCloseTo(3, 6);
    const asg = p.validation!.cost.resources.find((r) => r.address === 'aws_autoscaling_group.ollama')!;
    expect(asg.monthlyUsd / asg.previousMonthlyUsd).toBeCloseTo(1.5, 2);

    // The review: the spec, its rationale, and the text the CLI and Slack show.
    expect(p.spec?.blueprint === 'aws-spot-ollama' && [p.spec.params.desiredCapacity, p.spec.params.maxSize]).toEqual([
      3, 3,
    ]);
    expect(p.spec?.rationale.join('\n')).toContain(
      'Scales the group from 2 to 3 instance(s): the approved plan sets its desired capacity.',
    );
    expect(scaled.stdout).toContain('size:      3 instance(s) (min 0, max 3)');

    const applied = await t.crew(['approve', id, '--as', 'bob', '--json']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(jsonOf<{ state: string }>(applied).state).toBe('DONE');
    expect(await appliedDesired()).toBe(3);
  });
});
