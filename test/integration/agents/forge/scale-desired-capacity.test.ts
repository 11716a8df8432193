import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsSpotOllamaSpec } from '../../../../contracts/artifacts.js';
import { evaluatePlan } from '../../../../src/agents/sentinel/evaluate-plan.js';
import { parsePlanObject } from '../../../../src/agents/sentinel/plan/read-plan.js';
import { isScheduledOff } from '../../../../src/agents/forge/is-scheduled-off.js';
import { mapSandboxPlan } from '../../../../src/agents/forge/map-sandbox-plan.js';
import { renderSandbox } from '../../../../src/agents/forge/render-sandbox.js';
import { holdsDesiredCapacity } from '../../../../src/agents/forge/terraform-change-runner.js';
import { TerraformRunner } from '../../../../src/agents/forge/terraform-runner.js';
import { awsSpec } from '../../../support/forge-specs.js';
import { createTempStack, requireTerraform, type TempStack } from '../../../support/terraform-harness.js';

// "scale to N" on a stack with a weekend schedule (Fri 22:00 → Mon 07:00, Europe/Dublin), with
// the clock as a parameter: on-hours the plan sets the group to N; off-hours it leaves the
// stopped group alone and the start action brings it to N. Either way Sentinel prices N.

const TUESDAY = new Date('2026-11-17T10:00:00Z');
const SATURDAY = new Date('2026-11-21T12:00:00Z');
const SUNDAY_LATE = new Date('2026-11-22T23:30:00Z');
const MONDAY_EARLY = new Date('2026-11-23T06:59:00Z');

type Change = {
  address: string;
  change: { actions: string[]; before: Record<string, unknown> | null; after: Record<string, unknown> | null };
};
type Plan = { resource_changes: Change[] };

let stack: TempStack;
let tf: TerraformRunner;
beforeAll(async () => {
  requireTerraform();
  stack = createTempStack('forge-scale-');
  tf = new TerraformRunner({ inheritEnv: process.env, env: stack.env, timeoutMs: 60_000 });
});
afterAll(() => stack?.cleanup());

async function planAt(spec: AwsSpotOllamaSpec, now: Date, name: string): Promise<{ plan: Plan; file: string }> {
  stack.write(renderSandbox(spec, { holdDesiredCapacity: holdsDesiredCapacity(spec, now) }).files);
  await tf.init(stack.dir);
  await tf.plan(stack.dir, { out: `${name}.tfplan` });
  return { plan: mapSandboxPlan(await tf.showJson(stack.dir, `${name}.tfplan`)) as Plan, file: `${name}.tfplan` };
}

const change = (plan: Plan, address: string) => plan.resource_changes.find((r) => r.address === address)!.change;
const asgCost = (plan: Plan, now: Date) => {
  const parsed = parsePlanObject(plan);
  if (!parsed.ok) throw new Error(parsed.reason);
  const r = evaluatePlan(parsed.plan, { now }).cost.resources.find(
    (x) => x.address === 'aws_autoscaling_group.ollama',
  )!;
  return {
    monthlyUsd: r.monthlyUsd,
    instanceHours: r.components.filter((c) => c.name.startsWith('Instance usage')).reduce((s, c) => s + c.quantity, 0),
  };
};
async function asgStateDesired(): Promise<{ group: unknown; start: unknown }> {
  const shown = await execa('terraform', ['show', '-json'], { cwd: stack.dir, env: stack.env });
  const state = JSON.parse(String(shown.stdout)) as {
    values: { root_module: { resources: Array<{ address: string; values: { input: Record<string, unknown> } }> } };
  };
  const input = (a: string) =>
    state.values.root_module.resources.find((r) => r.address === `terraform_data.${a}`)?.values.input;
  return {
    group: input('aws_autoscaling_group__ollama')?.desired_capacity,
    start: input('aws_autoscaling_schedule__start__0')?.desired_capacity,
  };
}

describe('scaling a scheduled group', () => {
  it('knows when the weekend schedule has the group stopped, in its time zone', () => {
    const schedule = awsSpec().params.schedule!;
    expect([TUESDAY, SATURDAY, SUNDAY_LATE, MONDAY_EARLY].map((d) => isScheduledOff(schedule, d))).toEqual([
      false,
      true,
      true,
      true,
    ]);
    expect(isScheduledOff(schedule, new Date('2026-11-20T21:59:00Z'))).toBe(false); // Friday 21:59 Dublin
    expect(isScheduledOff(schedule, new Date('2026-11-20T22:00:00Z'))).toBe(true);
    expect(isScheduledOff(schedule, new Date('2026-11-23T07:00:00Z'))).toBe(false);
    // 22:00 in New York is already Saturday in UTC.
    expect(isScheduledOff({ ...schedule, timezone: 'America/New_York' }, new Date('2026-11-21T02:30:00Z'))).toBe(false);
    expect(isScheduledOff({ ...schedule, timezone: 'America/New_York' }, new Date('2026-11-21T03:30:00Z'))).toBe(true);
    // A zone the runtime does not know never crashes a plan: the plan sets the size.
    expect(isScheduledOff({ ...schedule, timezone: 'Mars/Olympus_Mons' }, SATURDAY)).toBe(false);
  });

  it('sets 3 on-hours and holds the stopped group off-hours; the review, the start action and the cost all say 3', async () => {
    const two = awsSpec({ minSize: 0, maxSize: 2, desiredCapacity: 2 });
    const three = awsSpec({ minSize: 0, maxSize: 3, desiredCapacity: 3 });
    const created = await planAt(two, TUESDAY, 'create');
    await tf.apply(stack.dir, created.file);
    expect(await asgStateDesired()).toEqual({ group: 2, start: 2 });
    const costOfTwo = asgCost(created.plan, TUESDAY);

    const offHours = await planAt(three, SATURDAY, 'saturday');
    expect(change(offHours.plan, 'aws_autoscaling_group.ollama').after).toMatchObject({
      desired_capacity: 2,
      max_size: 3,
    });
    expect(change(offHours.plan, 'aws_autoscaling_schedule.start[0]').after).toMatchObject({
      desired_capacity: 3,
      max_size: 3,
    });
    const heldCost = asgCost(offHours.plan, SATURDAY);

    const onHours = await planAt(three, TUESDAY, 'tuesday');
    expect(change(onHours.plan, 'aws_autoscaling_group.ollama')).toMatchObject({
      actions: ['update'],
      before: { desired_capacity: 2 },
      after: { desired_capacity: 3, max_size: 3 },
    });
    const setCost = asgCost(onHours.plan, TUESDAY);

    // The same 3 instances over the same scheduled hours, whichever way the plan was made.
    expect(heldCost).toEqual(setCost);
    expect(setCost.instanceHours / costOfTwo.instanceHours).toBeCloseTo(1.5, 6);

    await tf.apply(stack.dir, onHours.file);
    expect(await asgStateDesired()).toEqual({ group: 3, start: 3 });
  });
});
