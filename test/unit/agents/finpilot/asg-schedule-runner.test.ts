import { mkdir, readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StalePlanError } from '../../../../src/agents/forge/change-runner.js';
import { START_ACTION, STOP_ACTION } from '../../../../src/agents/finpilot/diff-schedule-actions.js';
import { evaluatePlan } from '../../../../src/agents/sentinel/evaluate-plan.js';
import { readPlanJson } from '../../../../src/agents/sentinel/plan/read-plan.js';
import {
  scheduleSpec,
  startScheduleFixture,
  WEEKEND,
  type ScheduleFixture,
} from '../../../support/schedule-fixture.js';

const ASG = 'ollama-dev-asg';
let f: ScheduleFixture;

beforeEach(async () => {
  f = await startScheduleFixture();
  f.aws.addAsg({ name: ASG, minSize: 1, maxSize: 3, desiredCapacity: 2 });
  await mkdir(f.ws.plansDir, { recursive: true });
});
afterEach(async () => f.close());

const weekend = scheduleSpec({ asgName: ASG, schedule: WEEKEND });

async function planAndApply(spec = weekend, name = 'p1', destroy = false) {
  const built = await f.runner.plan(spec, f.ws, { name, destroy });
  if (built.changes) await f.runner.apply(spec, f.ws, built.planFile.path);
  return built;
}

describe('AsgScheduleChangeRunner plan', () => {
  it('plans a create of the stop/start pair that Sentinel reads without schedule findings', async () => {
    const built = await f.runner.plan(weekend, f.ws, { name: 'p1' });
    expect(built.changes).toBe(true);
    expect(built.summary).toEqual({ create: 2, update: 0, replace: 0, delete: 0, noop: 0 });
    const text = await readFile(built.planJson.path, 'utf8');
    const parsed = readPlanJson(text);
    if (!parsed.ok) throw new Error(parsed.reason);
    const result = evaluatePlan(parsed.plan, { now: new Date('2026-03-02T10:00:00Z') });
    expect(result.findings.filter((x) => x.ruleId.startsWith('CREW_SCHEDULE'))).toEqual([]);
    const doc = JSON.parse(text) as {
      format_version: string;
      resource_changes: { type: string; change: { after: Record<string, unknown> } }[];
    };
    expect(doc.format_version).toBe('1.2');
    expect(doc.resource_changes.map((r) => r.change.after)).toEqual([
      {
        autoscaling_group_name: ASG,
        scheduled_action_name: STOP_ACTION,
        recurrence: '0 22 * * 5',
        time_zone: 'Europe/Paris',
        min_size: 0,
        max_size: 0,
        desired_capacity: 0,
      },
      {
        autoscaling_group_name: ASG,
        scheduled_action_name: START_ACTION,
        recurrence: '0 7 * * 1',
        time_zone: 'Europe/Paris',
        min_size: 1,
        max_size: 3,
        desired_capacity: 2,
      },
    ]);
    const file = JSON.parse(await readFile(built.planFile.path, 'utf8')) as {
      asgName: string;
      fingerprint: string;
      puts: unknown[];
      deletes: unknown[];
    };
    expect(file).toMatchObject({ asgName: ASG, deletes: [] });
    expect(file.fingerprint).toMatch(/^[a-f0-9]{64}$/);
    expect(f.aws.actions(ASG)).toEqual([]);
  });

  it('Sentinel flags a plan JSON without a time zone (the rules apply to this shape)', async () => {
    const built = await f.runner.plan(weekend, f.ws, { name: 'p1' });
    const text = (await readFile(built.planJson.path, 'utf8')).replaceAll(
      '"time_zone":"Europe/Paris"',
      '"time_zone":""',
    );
    const parsed = readPlanJson(text);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(evaluatePlan(parsed.plan).findings.map((x) => x.ruleId)).toContain('CREW_SCHEDULE_TZ');
  });

  it('reports no change once applied, and an update when only the time zone changes', async () => {
    await planAndApply();
    const again = await f.runner.plan(weekend, f.ws, { name: 'p2' });
    expect(again.changes).toBe(false);
    expect(again.summary.noop).toBe(2);
    const ny = await f.runner.plan(
      scheduleSpec({ asgName: ASG, schedule: { ...WEEKEND, timezone: 'America/New_York' } }),
      f.ws,
      { name: 'p3' },
    );
    expect(ny.summary).toEqual({ create: 0, update: 2, replace: 0, delete: 0, noop: 0 });
  });

  it('plans the removal of the crew actions only', async () => {
    f.aws.setAction(ASG, { name: 'team-nightly', recurrence: '0 1 * * *', timeZone: 'UTC', desiredCapacity: 1 });
    await planAndApply();
    const removed = await planAndApply(scheduleSpec({ asgName: ASG, remove: true }), 'p2');
    expect(removed.summary).toEqual({ create: 0, update: 0, replace: 0, delete: 2, noop: 0 });
    expect(f.aws.actions(ASG).map((a) => a.name)).toEqual(['team-nightly']);
  });
});

describe('AsgScheduleChangeRunner apply and rollback', () => {
  it('puts both actions with the time zone and the group real sizes on start', async () => {
    await planAndApply();
    expect(f.aws.actions(ASG)).toEqual([
      {
        name: START_ACTION,
        recurrence: '0 7 * * 1',
        timeZone: 'Europe/Paris',
        minSize: 1,
        maxSize: 3,
        desiredCapacity: 2,
      },
      {
        name: STOP_ACTION,
        recurrence: '0 22 * * 5',
        timeZone: 'Europe/Paris',
        minSize: 0,
        maxSize: 0,
        desiredCapacity: 0,
      },
    ]);
    const puts = f.aws.calls.filter((c) => c.action === 'PutScheduledUpdateGroupAction');
    expect(puts.every((c) => c.params.Version === '2011-01-01' && c.params.TimeZone === 'Europe/Paris')).toBe(true);
  });

  it('while the group sits at zero, re-planning keeps the start sizes instead of restoring 0', async () => {
    await planAndApply();
    f.aws.addAsg({ name: ASG, minSize: 0, maxSize: 0, desiredCapacity: 0 });
    const built = await f.runner.plan(
      scheduleSpec({ asgName: ASG, schedule: { ...WEEKEND, timezone: 'Asia/Tokyo' } }),
      f.ws,
      { name: 'p2' },
    );
    await f.runner.apply(weekend, f.ws, built.planFile.path);
    expect(f.aws.actions(ASG).find((a) => a.name === START_ACTION)).toMatchObject({
      minSize: 1,
      maxSize: 3,
      desiredCapacity: 2,
      timeZone: 'Asia/Tokyo',
    });
  });

  it('refuses a schedule for a group at zero with no start action to learn from', async () => {
    f.aws.addAsg({ name: ASG, minSize: 0, maxSize: 0, desiredCapacity: 0 });
    await expect(f.runner.plan(weekend, f.ws, { name: 'p1' })).rejects.toThrow(
      /no size for the start action to restore/,
    );
  });

  it('throws StalePlanError when the actions changed between plan and apply, and changes nothing', async () => {
    const built = await f.runner.plan(weekend, f.ws, { name: 'p1' });
    f.aws.setAction(ASG, { name: 'someone-else', recurrence: '0 3 * * *', timeZone: 'UTC', desiredCapacity: 1 });
    await expect(f.runner.apply(weekend, f.ws, built.planFile.path)).rejects.toBeInstanceOf(StalePlanError);
    expect(f.aws.actions(ASG).map((a) => a.name)).toEqual(['someone-else']);
  });

  it('rolls back to the previous version exactly, and a first create back to the baseline', async () => {
    f.aws.setAction(ASG, {
      name: STOP_ACTION,
      recurrence: '0 20 * * 5',
      timeZone: 'UTC',
      minSize: 0,
      maxSize: 0,
      desiredCapacity: 0,
    });
    await planAndApply(weekend, 'v1');
    const v1 = f.aws.actions(ASG);
    await planAndApply(
      scheduleSpec({
        asgName: ASG,
        schedule: {
          stop: { day: 'SAT', time: '01:00' },
          start: { day: 'SUN', time: '23:00' },
          timezone: 'America/New_York',
        },
      }),
      'v2',
    );
    expect(f.aws.actions(ASG)).not.toEqual(v1);
    await planAndApply(weekend, 'rb-v1');
    expect(f.aws.actions(ASG)).toEqual(v1);
    await planAndApply(weekend, 'rb-0', true);
    expect(f.aws.actions(ASG)).toEqual([
      { name: STOP_ACTION, recurrence: '0 20 * * 5', timeZone: 'UTC', minSize: 0, maxSize: 0, desiredCapacity: 0 },
    ]);
  });

  it('reports the crew actions as outputs', async () => {
    await planAndApply();
    const out = await f.runner.outputs(weekend);
    expect(out).toMatchObject({ asgName: ASG, region: 'us-east-1' });
    expect((out.scheduledActions as unknown[]).length).toBe(2);
  });
});
