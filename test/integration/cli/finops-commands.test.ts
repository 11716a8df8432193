import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPayload } from '../../../contracts/index.js';
import { registerFinopsCommands } from '../../../src/cli/commands/finops-commands.js';
import { startAwsStandIn, type AwsStandIn } from '../../support/aws-stand-in.js';
import { startRedis, type TestRedis } from '../../support/redis-server.js';
import { TEST_CREDENTIALS } from '../../support/schedule-fixture.js';
import { runCrewInProcess } from '../../support/run-crew-in-process.js';
import { restoreEnv } from '../../support/restore-env.js';

let aws: AwsStandIn;
let server: TestRedis;
let dir: string;
const saved = { ...process.env };

beforeAll(async () => {
  [aws, server] = await Promise.all([startAwsStandIn(), startRedis({ aof: false })]);
  dir = mkdtempSync(join(tmpdir(), 'crew-finops-cli-'));
  Object.assign(process.env, {
    REDIS_URL: server.url,
    CREW_DATA_DIR: dir,
    CREW_BUDGET_USD: '300',
    AWS_ENDPOINT_URL_AUTO_SCALING: aws.url,
    CREW_AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    CREW_AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    CREW_AWS_MAX_ATTEMPTS: '1',
  });
  aws.addAsg({ name: 'web-asg', minSize: 1, maxSize: 4, desiredCapacity: 2 });
  aws.setAction('web-asg', {
    name: 'crew-weekend-stop',
    recurrence: '0 22 * * 5',
    timeZone: 'Europe/Paris',
    minSize: 0,
    maxSize: 0,
    desiredCapacity: 0,
  });
  aws.setAction('web-asg', { name: 'nightly', recurrence: '0 1 * * *', desiredCapacity: 1 });
});
afterAll(async () => {
  restoreEnv(saved);
  process.exitCode = undefined;
  await Promise.all([aws.stop(), server.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

const run = (...args: string[]) => runCrewInProcess([registerFinopsCommands], args);

describe('crew schedule show / crew digest', () => {
  it('shows the group sizes and actions, marking the crew ones and an action without a time zone', async () => {
    const { out, code } = await run('schedule', 'show', 'web-asg');
    expect(code).toBe(0);
    expect(out).toContain('web-asg: min 1, max 4, desired 2; 2 scheduled action(s)');
    expect(out).toContain('* crew-weekend-stop: "0 22 * * 5" in Europe/Paris, min 0 max 0 desired 0');
    expect(out).toContain('nightly: "0 1 * * *" in UTC (no time zone set!)');
  });

  it('refuses a bad time zone before submitting anything', async () => {
    const { code } = await run('schedule', 'weekend', 'web-asg', 'Mars/Olympus');
    expect(code).toBe(1);
  });

  it('prints the digest as contract JSON and writes the PNG', async () => {
    const png = join(dir, 'digest.png');
    const { out, code } = await run('digest', '--json', '--png', png);
    expect(code).toBe(0);
    expect(checkPayload('CostDigest', JSON.parse(out)).ok).toBe(true);
    expect(JSON.parse(out)).toMatchObject({ stacks: [], budget: 300, spend: 0 });
    expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
  });
});
