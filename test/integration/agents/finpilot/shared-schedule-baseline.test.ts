import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PlanSpec } from '../../../../contracts/index.js';
import { StackWorkspace } from '../../../../src/agents/forge/stack-workspace.js';
import { AsgScheduleChangeRunner } from '../../../../src/agents/finpilot/asg-schedule-runner.js';
import { createAutoScalingClient } from '../../../../src/agents/finpilot/aws-clients.js';
import { STOP_ACTION } from '../../../../src/agents/finpilot/diff-schedule-actions.js';
import { sharedScheduleBaselines } from '../../../../src/runtime/shared-schedule-baselines.js';
import { ScheduleBaselineStore } from '../../../../src/store/schedule-baseline-store.js';
import { startAwsStandIn, type AwsStandIn } from '../../../support/aws-stand-in.js';
import { startRedis, type TestRedis } from '../../../support/redis-server.js';
import { scheduleSpec, TEST_CREDENTIALS, WEEKEND } from '../../../support/schedule-fixture.js';

// Two hosts (two data dirs) of one crew share only Redis: the first apply happens on one, the
// rollback of that first create is planned and applied on the other, and restores what the
// first apply found on the group.

const ASG = 'render-farm';
let server: TestRedis;
let aws: AwsStandIn;
let dirs: string[] = [];
let before: string | undefined;

beforeAll(async () => {
  server = await startRedis({ aof: false });
  aws = await startAwsStandIn();
  before = process.env.AWS_ENDPOINT_URL_AUTO_SCALING;
  process.env.AWS_ENDPOINT_URL_AUTO_SCALING = aws.url;
});
afterAll(async () => {
  if (before === undefined) delete process.env.AWS_ENDPOINT_URL_AUTO_SCALING;
  else process.env.AWS_ENDPOINT_URL_AUTO_SCALING = before;
  await aws?.stop();
  await server?.stop();
});
beforeEach(() => {
  aws.addAsg({ name: ASG, minSize: 1, maxSize: 3, desiredCapacity: 2 });
  aws.setAction(ASG, {
    name: STOP_ACTION,
    recurrence: '0 20 * * 5',
    timeZone: 'UTC',
    minSize: 0,
    maxSize: 0,
    desiredCapacity: 0,
  });
});
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

/** One host: its own data dir and runner, the crew's shared Redis. */
function host(prefix: string) {
  const dataDir = mkdtempSync(join(tmpdir(), 'crew-host-'));
  dirs.push(dataDir);
  const client = createAutoScalingClient({ region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  const store = new ScheduleBaselineStore({ redis: server.client(), prefix });
  const runner = new AsgScheduleChangeRunner({
    autoScaling: () => client,
    defaultRegion: 'us-east-1',
    baselines: sharedScheduleBaselines(store),
  });
  const ws = new StackWorkspace(dataDir, 'sched-render');
  mkdirSync(ws.plansDir, { recursive: true });
  const run = async (spec: PlanSpec, name: string, destroy = false) => {
    const built = await runner.plan(spec, ws, { name, destroy });
    if (built.changes) await runner.apply(spec, ws, built.planFile.path);
    return built;
  };
  return { ws, store, run };
}

const spec = { ...scheduleSpec({ asgName: ASG, schedule: WEEKEND }), stack: 'sched-render' };
const original = [
  { name: STOP_ACTION, recurrence: '0 20 * * 5', timeZone: 'UTC', minSize: 0, maxSize: 0, desiredCapacity: 0 },
];

describe('asg-schedule baselines shared across hosts', () => {
  it('a rollback of the first create on another host restores what the first apply found, then forgets it', async () => {
    const a = host('ta');
    const b = host('ta');
    await a.run(spec, 'v1');
    expect(aws.actions(ASG)).not.toEqual(original);
    const rollback = await b.run(spec, 'rb-0', true);
    expect(rollback.changes).toBe(true);
    expect(aws.actions(ASG)).toEqual(original);
    expect(await a.store.read('sched-render', ASG)).toBeUndefined();
  });

  it('a later apply on another host keeps the first apply baseline', async () => {
    const a = host('tb');
    const b = host('tb');
    await a.run(spec, 'v1');
    const recorded = await a.store.read('sched-render', ASG);
    await b.run({ ...spec, params: { ...spec.params, schedule: { ...WEEKEND, timezone: 'Asia/Tokyo' } } }, 'v2');
    expect(await b.store.read('sched-render', ASG)).toBe(recorded);
    await a.run(spec, 'rb-0', true);
    expect(aws.actions(ASG)).toEqual(original);
  });

  it('still reads a baseline an older single-machine crew left in the workspace', async () => {
    const a = host('tc');
    await a.run(spec, 'v1');
    await a.store.clear('sched-render', ASG);
    writeFileSync(
      join(a.ws.dir, `asg-schedule-baseline.${ASG}.json`),
      JSON.stringify({ asgName: ASG, actions: original }),
    );
    await a.run(spec, 'rb-0', true);
    expect(aws.actions(ASG)).toEqual(original);
  });

  it('refuses a malformed shared baseline by name rather than restoring something else', async () => {
    const a = host('td');
    await a.run(spec, 'v1');
    await a.store.clear('sched-render', ASG);
    await a.store.recordOnce('sched-render', ASG, JSON.stringify({ actions: [{ name: '' }] }));
    await expect(a.run(spec, 'rb-0', true)).rejects.toThrow(
      /schedule baseline of sched-render\/render-farm is malformed/,
    );
  });
});
