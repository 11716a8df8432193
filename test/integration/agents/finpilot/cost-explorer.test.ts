import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDigestReport } from '../../../../src/agents/finpilot/build-digest.js';
import { createCostExplorerClient, readActualCosts } from '../../../../src/agents/finpilot/read-actual-costs.js';
import { renderDigestSvg } from '../../../../src/agents/finpilot/render-digest-png.js';
import { digestFooter, renderDigestText } from '../../../../src/agents/finpilot/render-digest-text.js';
import { StackStore } from '../../../../src/store/stack-store.js';
import type { PlanRecord } from '../../../../src/plan/plan-record.js';
import type { PlanSpec } from '../../../../contracts/index.js';
import { startCostExplorerStandIn, type CostExplorerStandIn } from '../../../support/cost-explorer-stand-in.js';
import { useTestRedis } from '../../../support/redis-server.js';

// FinPilot reads the bill per stack tag through the real Cost Explorer SDK client, pointed at a
// local stand-in that speaks the service's JSON 1.1 protocol.

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
let ce: CostExplorerStandIn;
let redis: Redis;
useTestRedis((_s, c) => (redis = c), { aof: false });

const client = () =>
  createCostExplorerClient({
    region: 'eu-west-1',
    endpoint: ce.url,
    maxAttempts: 1,
    credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: SECRET },
  });

beforeAll(async () => {
  ce = await startCostExplorerStandIn();
});
afterAll(async () => {
  await ce?.close();
});

const FROM = new Date('2026-12-01T00:00:00Z');
const TO = new Date('2026-12-11T00:00:00Z');

describe('Cost Explorer through the real SDK client and a JSON 1.1 stand-in', () => {
  it('reads unblended cost per Stack tag, across pages, untagged spend apart', async () => {
    ce.set({ kind: 'costs', byStack: { 'gpu-a': 40.5, 'gpu-b': 12.25 }, untagged: 3, pageSize: 1 });
    ce.calls.length = 0;
    const r = await readActualCosts(client(), { from: FROM, to: TO });
    expect(r).toEqual({
      ok: true,
      from: '2026-12-01',
      to: '2026-12-11',
      byStack: { 'gpu-a': 40.5, 'gpu-b': 12.25 },
      untaggedUsd: 3,
    });
    expect(ce.calls).toHaveLength(3);
    const [first] = ce.calls;
    expect(first?.target).toBe('AWSInsightsIndexService.GetCostAndUsage');
    expect(first?.contentType).toBe('application/x-amz-json-1.1');
    expect(first?.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE\/\d{8}\/us-east-1\/ce\//);
    expect(first?.body).toMatchObject({
      TimePeriod: { Start: '2026-12-01', End: '2026-12-11' },
      Granularity: 'MONTHLY',
      Metrics: ['UnblendedCost'],
      GroupBy: [{ Type: 'TAG', Key: 'Stack' }],
    });
    expect(ce.calls[1]?.body.NextPageToken).toBe('1');
  });

  it('throttling is a reason, not an exception, and names no secret', async () => {
    ce.set({ kind: 'error', status: 400, code: 'ThrottlingException', message: 'Rate exceeded' });
    const r = await readActualCosts(client(), { from: FROM, to: TO });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reason).toMatch(/^Cost Explorer throttled the request \(ThrottlingException\) after 1 attempt/);
    expect(r.reason).not.toContain(SECRET);
    expect(r.reason).not.toContain('AKIA');
  });

  it('an access error and a server error are reasons too', async () => {
    ce.set({
      kind: 'error',
      status: 400,
      code: 'AccessDeniedException',
      message: 'User: arn:aws:iam::123:user/x is not authorized',
    });
    const denied = await readActualCosts(client(), { from: FROM, to: TO });
    expect(denied).toEqual({
      ok: false,
      reason: "Cost Explorer refused the crew's credentials (AccessDeniedException): allow ce:GetCostAndUsage",
    });
    ce.set({ kind: 'error', status: 500, code: 'InternalServerError', message: 'boom' });
    const broken = await readActualCosts(client(), { from: FROM, to: TO });
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.reason).toMatch(/^Cost Explorer call failed \(InternalServerError/);
  });
});

describe('the digest: estimate, actual and error per blueprint', () => {
  const prefix = `t${Math.random().toString(36).slice(2, 8)}`;
  const spec = (stack: string) =>
    ({
      blueprint: 'aws-spot-ollama',
      stack,
      target: 'aws',
      region: 'us-east-1',
      params: {
        instanceTypes: ['g4dn.xlarge'],
        minSize: 0,
        maxSize: 1,
        desiredCapacity: 1,
        onDemandBase: 0,
        vpcCidr: '10.42.0.0/16',
        privateSubnetCidrs: ['10.42.0.0/20'],
        allowedCidrs: ['10.42.0.0/16'],
        ollamaPort: 11434,
        volumeGb: 100,
      },
      budget: { monthlyUsd: 500, brakeRatio: 0.8 },
      risk: { destructive: false, level: 'low' },
      rationale: [],
      diagram: 'graph TD',
      parsedBy: 'rules',
    }) as PlanSpec;
  const plans = new Map<string, PlanRecord>([
    [
      'p-b',
      {
        id: 'p-b',
        validation: {
          cost: {
            monthlyUsd: 73,
            previousMonthlyUsd: 0,
            diffMonthlyUsd: 73,
            resources: [
              {
                address: 'aws_nat_gateway.main[0]',
                type: 'aws_nat_gateway',
                monthlyUsd: 32.85,
                previousMonthlyUsd: 0,
                components: [
                  { name: 'NAT gateway hours', unit: 'hours', quantity: 730, price: 0.045, monthly: 32.85 },
                  { name: 'data processed (usage-based)', unit: 'GB', quantity: 0, price: 0.045, monthly: 0 },
                ],
              },
            ],
            unpriced: [],
          },
        },
      } as unknown as PlanRecord,
    ],
  ]);

  async function report(now: Date) {
    const stacks = new StackStore({ redis, prefix });
    await stacks.recordApplied('gpu-a', {
      planId: 'p-a',
      spec: spec('gpu-a'),
      monthlyUsd: 146,
      appliedAt: '2026-11-01T00:00:00Z',
    });
    await stacks.recordApplied('gpu-b', {
      planId: 'p-b',
      spec: spec('gpu-b'),
      monthlyUsd: 73,
      appliedAt: '2026-11-01T00:00:00Z',
    });
    return buildDigestReport(
      {
        redis,
        prefix,
        stacks,
        region: 'us-east-1',
        plans: { get: async (id) => plans.get(id) },
        actuals: (w) => readActualCosts(client(), w),
      },
      { from: new Date(now.getTime() - 7 * 86_400_000), to: now },
    );
  }

  it('compares the month so far and flags a stack off by more than 25 % with its largest unpriced component', async () => {
    // 10 days of December: gpu-a estimate 146 × 240/730 = 48.00, gpu-b 73 × 240/730 = 24.00.
    ce.set({ kind: 'costs', byStack: { 'gpu-a': 50, 'gpu-b': 40 } });
    const r = await report(TO);
    expect(r.actuals).toEqual({
      ok: true,
      from: '2026-12-01',
      to: '2026-12-11',
      blueprints: [{ blueprint: 'aws-spot-ollama', estimateUsd: 72, actualUsd: 90, errorPct: 25 }],
      flagged: [
        {
          blueprint: 'aws-spot-ollama',
          stack: 'gpu-b',
          estimateUsd: 24,
          actualUsd: 40,
          errorPct: 66.7,
          largestUnpriced: 'aws_nat_gateway.main[0]: data processed (usage-based)',
        },
      ],
    });
    const text = renderDigestText(r.digest, r);
    expect(text).toContain('aws-spot-ollama: estimate $72.00, actual $90.00, error +25.0 %');
    expect(text).toContain(
      '! gpu-b is off by more than 25 % (estimate $24.00, actual $40.00, +66.7 %); largest unpriced component: aws_nat_gateway.main[0]: data processed (usage-based)',
    );
    // The chart carries the same numbers under the gauge.
    const svg = renderDigestSvg(r.digest, 0.8, digestFooter(r));
    expect(svg).toContain('aws-spot-ollama: estimate $72.00, actual $90.00, error +25.0 %');
    expect(svg).toContain('Suggested $0.00/month, accepted $0.00, realised $0.00');
  });

  it('throttled: the digest still builds and says actuals are unavailable and why', async () => {
    ce.set({ kind: 'error', status: 400, code: 'ThrottlingException', message: 'Rate exceeded' });
    const r = await report(TO);
    const text = renderDigestText(r.digest, r);
    expect(text).toContain('Cost digest');
    expect(text).toMatch(/Actual cost: unavailable: Cost Explorer throttled the request \(ThrottlingException\)/);
    expect(text).not.toContain(SECRET);
    expect(renderDigestSvg(r.digest, 0.8, digestFooter(r))).toContain(
      'Actual cost unavailable: Cost Explorer throttled',
    );
  });
});
