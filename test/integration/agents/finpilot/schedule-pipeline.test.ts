import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AsgScheduleChangeRunner } from '../../../../src/agents/finpilot/asg-schedule-runner.js';
import { createAutoScalingClient } from '../../../../src/agents/finpilot/aws-clients.js';
import { START_ACTION, STOP_ACTION } from '../../../../src/agents/finpilot/diff-schedule-actions.js';
import { removeScheduleGoal, weekendGoal } from '../../../../src/agents/finpilot/schedule-goal.js';
import { registerForge } from '../../../../src/agents/forge/forge-agent.js';
import { waitForPlan } from '../../../../src/conductor/wait-for-plan.js';
import { readConfig } from '../../../../src/config/read-config.js';
import { createLogger } from '../../../../src/log/create-logger.js';
import { startCrew, type CrewRuntime } from '../../../../src/runtime/start-crew.js';
import { startAwsStandIn, type AwsStandIn } from '../../../support/aws-stand-in.js';
import { startRedis, type TestRedis } from '../../../support/redis-server.js';
import { TEST_CREDENTIALS } from '../../../support/schedule-fixture.js';

let aws: AwsStandIn;
let server: TestRedis;
let redis: Redis;
let crew: CrewRuntime;
let dataDir: string;
const ASG = 'ollama-dev-asg';

beforeAll(async () => {
  [aws, server] = await Promise.all([startAwsStandIn(), startRedis({ aof: false })]);
  redis = server.client();
  aws.addAsg({ name: ASG, minSize: 1, maxSize: 2, desiredCapacity: 1 });
  dataDir = mkdtempSync(join(tmpdir(), 'crew-finpilot-e2e-'));
  const config = readConfig({ CREW_DATA_DIR: dataDir, CREW_TARGET: 'aws', CREW_TZ: 'Europe/Paris' });
  const logger = createLogger({ level: 'silent' });
  const prefix = `t${randomBytes(4).toString('hex')}`;
  crew = startCrew({ config, logger, redis, prefix, roles: ['conductor', 'atlas', 'sentinel'] });
  // The wiring start-crew needs for this blueprint, done here by hand.
  const client = createAutoScalingClient({
    region: 'us-east-1',
    credentials: TEST_CREDENTIALS,
    endpoint: aws.url,
    maxAttempts: 1,
  });
  const runner = new AsgScheduleChangeRunner({ autoScaling: () => client, defaultRegion: 'us-east-1' });
  registerForge({
    bus: crew.bus,
    plans: crew.plans,
    artifacts: crew.artifacts,
    stacks: crew.stacks,
    redis,
    prefix,
    logger,
    dataDir,
    runners: { 'asg-schedule': runner },
  });
});
afterAll(async () => {
  await crew.close();
  await Promise.all([aws.stop(), server.stop()]);
  rmSync(dataDir, { recursive: true, force: true });
});

async function submit(text: string, as = 'alice') {
  const r = await crew.ops.submitGoal({ text, requestedBy: as, target: 'aws' }, 'test');
  if (!r.ok) throw new Error(r.refusal);
  return waitForPlan(crew.plans, r.value.id, ['WAIT_FOR_APPROVE', 'BLOCKED', 'FAILED'], { timeoutMs: 20_000 });
}

describe('schedule through the pipeline', () => {
  it('plans, passes Sentinel, applies after a second approver, then rolls back', async () => {
    const plan = await submit(weekendGoal(ASG, 'America/New_York'));
    expect(plan.state, plan.failure ?? JSON.stringify(plan.validation?.findings)).toBe('WAIT_FOR_APPROVE');
    expect(plan.spec?.blueprint).toBe('asg-schedule');
    expect(plan.validation?.findings.filter((f) => f.ruleId.startsWith('CREW_SCHEDULE'))).toEqual([]);
    expect(aws.actions(ASG)).toEqual([]);

    const approved = await crew.ops.decide(plan.id, 'approve', 'bob', 'test');
    expect(approved.ok).toBe(true);
    const done = await waitForPlan(crew.plans, plan.id, ['DONE', 'FAILED', 'ROLLED_BACK'], { timeoutMs: 20_000 });
    expect(done.state).toBe('DONE');
    expect(aws.actions(ASG).map((a) => [a.name, a.timeZone, a.maxSize])).toEqual([
      [START_ACTION, 'America/New_York', 2],
      [STOP_ACTION, 'America/New_York', 0],
    ]);

    const rb = await crew.ops.requestRollback(plan.id, 'bob');
    expect(rb.ok).toBe(true);
    const rolled = await waitForPlan(crew.plans, plan.id, ['ROLLED_BACK', 'FAILED'], { timeoutMs: 20_000 });
    expect(rolled.state).toBe('ROLLED_BACK');
    expect(aws.actions(ASG)).toEqual([]);
  });

  it('a remove goal becomes a remove: true spec', async () => {
    const plan = await submit(removeScheduleGoal(ASG));
    expect(plan.spec?.params).toEqual({ asgName: ASG, remove: true });
  });
});
