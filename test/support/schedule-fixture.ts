import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AsgScheduleSpec, Schedule } from '../../contracts/index.js';
import { StackWorkspace } from '../../src/agents/forge/stack-workspace.js';
import { AsgScheduleChangeRunner } from '../../src/agents/finpilot/asg-schedule-runner.js';
import { createAutoScalingClient } from '../../src/agents/finpilot/aws-clients.js';
import { startAwsStandIn, type AwsStandIn } from './aws-stand-in.js';

export const TEST_CREDENTIALS = { accessKeyId: 'AKIDFINPILOTTEST', secretAccessKey: 'finpilot-test-secret' };

export const WEEKEND: Schedule = {
  stop: { day: 'FRI', time: '22:00' },
  start: { day: 'MON', time: '07:00' },
  timezone: 'Europe/Paris',
};

export function scheduleSpec(params: AsgScheduleSpec['params']): AsgScheduleSpec {
  return {
    blueprint: 'asg-schedule',
    stack: 'sched-ollama',
    target: 'aws',
    region: 'us-east-1',
    params,
    budget: { monthlyUsd: null, brakeRatio: 0.8 },
    risk: { destructive: false, level: 'low' },
    rationale: [],
    diagram: '',
    parsedBy: 'rules',
  };
}

export interface ScheduleFixture {
  aws: AwsStandIn;
  runner: AsgScheduleChangeRunner;
  ws: StackWorkspace;
  close(): Promise<void>;
}

/**
 * A stand-in on loopback reached the way production reaches AWS: the SDK's own
 * AWS_ENDPOINT_URL_AUTO_SCALING variable, explicit credentials, no endpoint option.
 */
export async function startScheduleFixture(maxAttempts = 1): Promise<ScheduleFixture> {
  const aws = await startAwsStandIn();
  const before = process.env.AWS_ENDPOINT_URL_AUTO_SCALING;
  process.env.AWS_ENDPOINT_URL_AUTO_SCALING = aws.url;
  const client = createAutoScalingClient({ region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts });
  const runner = new AsgScheduleChangeRunner({ autoScaling: () => client, defaultRegion: 'us-east-1' });
  const dir = mkdtempSync(join(tmpdir(), 'crew-finpilot-'));
  const ws = new StackWorkspace(dir, 'sched-ollama');
  return {
    aws,
    runner,
    ws,
    close: async () => {
      client.destroy();
      await aws.stop();
      if (before === undefined) delete process.env.AWS_ENDPOINT_URL_AUTO_SCALING;
      else process.env.AWS_ENDPOINT_URL_AUTO_SCALING = before;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
