import type { Redis } from 'ioredis';
import { beforeEach, describe, expect, it } from 'vitest';
import { checkPayload, type AwsSpotOllamaSpec } from '../../../../contracts/index.js';
import {
  buildDigest,
  buildDigestReport,
  defaultDigestPeriod,
  nextDigestRun,
  postDigest,
  renderDigestPng,
  renderDigestSvg,
  renderDigestText,
} from '../../../../src/agents/finpilot/cost-digest.js';
import { weeklyOffHours } from '../../../../src/agents/finpilot/estimate-stack-savings.js';
import { recordSpend } from '../../../../src/agents/finpilot/spend-ledger.js';
import { StackStore } from '../../../../src/store/stack-store.js';
import { useTestRedis } from '../../../support/redis-server.js';
import { scheduleSpec, WEEKEND } from '../../../support/schedule-fixture.js';

let redis: Redis;
let prefix: string;
let stacks: StackStore;

const OLLAMA: AwsSpotOllamaSpec = {
  blueprint: 'aws-spot-ollama',
  stack: 'ollama-dev',
  target: 'sandbox',
  region: 'us-east-1',
  params: {
    instanceTypes: ['g4dn.xlarge'],
    minSize: 0,
    maxSize: 2,
    desiredCapacity: 2,
    onDemandBase: 0,
    vpcCidr: '10.42.0.0/16',
    privateSubnetCidrs: ['10.42.0.0/20'],
    ollamaPort: 11434,
    allowedCidrs: ['10.42.0.0/16'],
    volumeGb: 100,
    schedule: WEEKEND,
  },
  budget: { monthlyUsd: 300, brakeRatio: 0.8 },
  risk: { destructive: false, level: 'low' },
  rationale: [],
  diagram: 'graph TD',
  parsedBy: 'rules',
};
const NOW = new Date('2026-03-16T09:00:00Z');
const PERIOD = { from: new Date('2026-03-09T09:00:00Z'), to: NOW };

useTestRedis((_s, c) => (redis = c), { aof: false });
beforeEach(async () => {
  prefix = `t${Math.random().toString(36).slice(2, 8)}`;
  stacks = new StackStore({ redis, prefix });
  await stacks.recordApplied('ollama-dev', {
    planId: 'p-ollama1',
    spec: OLLAMA,
    monthlyUsd: 190.5,
    appliedAt: '2026-03-10T12:00:00Z',
  });
  await stacks.recordApplied('sched-ollama', {
    planId: 'p-sched1',
    spec: scheduleSpec({ asgName: 'other-asg', schedule: WEEKEND }),
    monthlyUsd: 0,
    appliedAt: '2026-03-11T12:00:00Z',
  });
  await recordSpend(
    redis,
    { stack: 'ollama-dev', monthlyUsd: 190.5, at: '2026-03-10T12:00:00Z', planId: 'p-ollama1', kind: 'apply' },
    { prefix },
  );
  await redis.hset(`${prefix}:spot:us-east-1`, 'fetchedAt', NOW.toISOString(), 'price:g4dn.xlarge', '0.2');
});

const deps = () => ({ redis, stacks, prefix, region: 'us-east-1', budgetUsd: 300, brakeRatio: 0.8, now: () => NOW });

describe('cost digest', () => {
  it('Fri 22:00 to Mon 07:00 is 57 hours off a week', () => {
    expect(weeklyOffHours(WEEKEND)).toBe(57);
  });

  it('builds a CostDigest that validates, with Spot and off-hours savings from live Spot prices', async () => {
    const digest = await buildDigest(deps(), PERIOD);
    expect(checkPayload('CostDigest', digest).ok).toBe(true);
    expect(digest.stacks).toEqual([
      {
        stack: 'ollama-dev',
        monthlyUsd: 190.5,
        spotSavingsUsd: 314.47,
        offHoursSavingsUsd: 99.07,
        budget: { monthlyUsd: 300, brakeRatio: 0.8 },
      },
      { stack: 'sched-ollama', monthlyUsd: 0, spotSavingsUsd: 0, offHoursSavingsUsd: 0 },
    ]);
    expect(digest.savings).toBe(413.54);
    expect(digest.budget).toBe(300);
    // 190.50/month from Mar 10 12:00: 5.875 of 31 days spent, the rest forecast.
    expect(digest.spend).toBeCloseTo((190.5 * 5.875) / 31, 1);
    expect(digest.forecast).toBeCloseTo((190.5 * (31 - 9.5)) / 31, 1);
  });

  it('renders text with the brake state and the changes since the last digest', async () => {
    const report = await buildDigestReport(deps(), PERIOD);
    const text = renderDigestText(report.digest, report);
    expect(text).toContain('Cost digest 2026-03-09 → 2026-03-16');
    expect(text).toMatch(/ollama-dev\s+\$190\.50\s+\$314\.47\s+\$99\.07/);
    expect(text).toContain('Brake at 80 % ($240.00): clear');
    expect(text).toMatch(/2026-03-10 {2}ollama-dev {2}applied → \$190\.50\/month {2}\(p-ollama1\)/);
    expect(text).toContain('other-asg');
  });

  it("shows each stack's own budget, and says the crew-wide one is unset rather than that none is", async () => {
    const report = await buildDigestReport({ ...deps(), budgetUsd: null }, PERIOD);
    const text = renderDigestText(report.digest, report);
    expect(text).toMatch(/stack\s+monthly\s+spot saves\s+off-hours\s+own budget/);
    expect(text).toMatch(/ollama-dev\s+\$190\.50\s+\$314\.47\s+\$99\.07\s+\$300\.00 @80%/);
    expect(text).toMatch(/sched-ollama\s+\$0\.00\s+\$0\.00\s+\$0\.00\s+—/);
    expect(text).toContain(
      "(no crew-wide budget, CREW_BUDGET_USD, so no brake here; a stack's own budget, in the table, brakes that stack's plans)",
    );
    expect(text).not.toContain('no budget set');
    // The contract carries it (crew digest --json), and the chart marks it on the stack's bar.
    expect(report.digest.stacks.find((s) => s.stack === 'ollama-dev')?.budget).toEqual({
      monthlyUsd: 300,
      brakeRatio: 0.8,
    });
    expect(report.digest.stacks.find((s) => s.stack === 'sched-ollama')).not.toHaveProperty('budget');
    expect(checkPayload('CostDigest', report.digest).ok).toBe(true);
    const svg = renderDigestSvg(report.digest, 0.8);
    expect(svg).toContain('$190.50 of $300.00 budget');
    expect(svg).toContain("stack's own budget (dashed)");
    expect(svg).toContain("no crew-wide budget, CREW_BUDGET_USD; a stack's own budget is marked on its bar");
    expect(svg.match(/stroke-dasharray="4 3"/g)).toHaveLength(1);
  });

  it('renders a real PNG', async () => {
    const png = renderDigestPng(await buildDigest(deps(), PERIOD));
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
    expect(png.readUInt32BE(16)).toBe(800);
    expect(png.readUInt32BE(20)).toBeGreaterThan(100);
    expect(png.length).toBeGreaterThan(5000);
  });

  it('schedules the digest for the next Monday 09:00 in the team time zone', () => {
    // Wed 2026-03-04 in Paris (UTC+1 before the end-of-March DST change).
    expect(nextDigestRun({ timezone: 'Europe/Paris' }, new Date('2026-03-04T12:00:00Z'))?.toISOString()).toBe(
      '2026-03-09T08:00:00.000Z',
    );
    // Across DST: Paris is UTC+2 from 2026-03-29, New York UTC-4 from 2026-03-08.
    expect(nextDigestRun({ timezone: 'Europe/Paris' }, new Date('2026-03-28T12:00:00Z'))?.toISOString()).toBe(
      '2026-03-30T07:00:00.000Z',
    );
    expect(nextDigestRun({ timezone: 'America/New_York' }, new Date('2026-03-10T00:00:00Z'))?.toISOString()).toBe(
      '2026-03-16T13:00:00.000Z',
    );
  });

  it('posts text and chart, then starts the next period where this one ended', async () => {
    const posted: { text: string; png: Buffer }[] = [];
    expect((await defaultDigestPeriod(deps())).from.toISOString()).toBe('2026-03-09T09:00:00.000Z');
    await postDigest({ deps: deps(), post: async (text, png) => void posted.push({ text, png }) });
    expect(posted).toHaveLength(1);
    expect(posted[0]?.text).toContain('Cost digest 2026-03-09');
    expect(posted[0]?.png.subarray(1, 4).toString()).toBe('PNG');
    const later = { ...deps(), now: () => new Date('2026-03-23T09:00:00Z') };
    expect((await defaultDigestPeriod(later)).from.toISOString()).toBe(NOW.toISOString());
  });
});
