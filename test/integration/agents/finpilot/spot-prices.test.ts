import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEc2Client } from '../../../../src/agents/finpilot/aws-clients.js';
import { fetchSpotPrices, readSpotPrices, refreshSpotPrices } from '../../../../src/agents/finpilot/spot-prices.js';
import { startAwsStandIn, type AwsStandIn } from '../../../support/aws-stand-in.js';
import { startRedis, type TestRedis } from '../../../support/redis-server.js';
import { TEST_CREDENTIALS } from '../../../support/schedule-fixture.js';

let aws: AwsStandIn;
let server: TestRedis;
let redis: Redis;
let prefix: string;

beforeAll(async () => {
  [aws, server] = await Promise.all([startAwsStandIn(), startRedis({ aof: false })]);
  redis = server.client();
  process.env.AWS_ENDPOINT_URL_EC2 = aws.url;
});
afterAll(async () => {
  delete process.env.AWS_ENDPOINT_URL_EC2;
  await Promise.all([aws.stop(), server.stop()]);
});
beforeEach(() => {
  prefix = `t${Math.random().toString(36).slice(2, 8)}`;
  aws.calls.length = 0;
  aws.pageSize = 2;
  aws.spotPrices = [
    // An older, higher price in 1a is superseded by the latest one.
    {
      instanceType: 'g4dn.xlarge',
      availabilityZone: 'us-east-1a',
      spotPrice: '0.300000',
      timestamp: '2026-03-01T08:00:00.000Z',
    },
    {
      instanceType: 'g4dn.xlarge',
      availabilityZone: 'us-east-1a',
      spotPrice: '0.180000',
      timestamp: '2026-03-02T08:00:00.000Z',
    },
    {
      instanceType: 'g4dn.xlarge',
      availabilityZone: 'us-east-1b',
      spotPrice: '0.200000',
      timestamp: '2026-03-02T07:00:00.000Z',
    },
    {
      instanceType: 'g4dn.xlarge',
      availabilityZone: 'us-east-1c',
      spotPrice: '0.900000',
      timestamp: '2026-03-02T06:00:00.000Z',
    },
    {
      instanceType: 't3.large',
      availabilityZone: 'us-east-1a',
      spotPrice: '0.030000',
      timestamp: '2026-03-02T06:00:00.000Z',
    },
    {
      instanceType: 't3.large',
      availabilityZone: 'us-east-1b',
      spotPrice: '0.040000',
      timestamp: '2026-03-02T06:00:00.000Z',
    },
    {
      instanceType: 'm6i.large',
      availabilityZone: 'us-east-1b',
      spotPrice: '0.050000',
      timestamp: '2026-03-02T06:00:00.000Z',
      productDescription: 'Windows',
    },
  ];
});

const ec2 = () => createEc2Client({ region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 });

describe('spot prices', () => {
  it('takes the latest price per AZ and the median across AZs, over every page', async () => {
    const prices = await fetchSpotPrices(ec2(), {
      instanceTypes: ['g4dn.xlarge', 't3.large', 'm6i.large'],
      now: new Date('2026-03-02T09:00:00Z'),
    });
    expect(prices).toEqual({ 'g4dn.xlarge': 0.2, 't3.large': 0.035 });
    const calls = aws.calls.filter((c) => c.action === 'DescribeSpotPriceHistory');
    expect(calls.length).toBe(3);
    expect(calls[0]?.params).toMatchObject({
      Version: '2016-11-15',
      'InstanceType.1': 'g4dn.xlarge',
      'ProductDescription.1': 'Linux/UNIX',
    });
    expect(calls[1]?.params.NextToken).toBeTruthy();
  });

  it('caches in a hash per region with fetchedAt and a TTL, and reads it back for Sentinel', async () => {
    const now = new Date('2026-03-02T09:00:00Z');
    const fresh = await refreshSpotPrices({
      redis,
      ec2: ec2(),
      region: 'us-east-1',
      prefix,
      instanceTypes: ['g4dn.xlarge'],
      now,
      ttlSeconds: 3600,
    });
    expect(fresh).toEqual({ prices: { 'g4dn.xlarge': 0.2 }, fetchedAt: now.toISOString() });
    expect(await readSpotPrices(redis, 'us-east-1', prefix)).toEqual(fresh);
    const ttl = await redis.ttl(`${prefix}:spot:us-east-1`);
    expect(ttl).toBeGreaterThan(3500);
    expect(ttl).toBeLessThanOrEqual(3600);
  });

  it('reads an empty cache as no prices, so Sentinel falls back to its default discount', async () => {
    expect(await readSpotPrices(redis, 'eu-west-1', prefix)).toEqual({ prices: {} });
  });

  it('keeps the old cache when EC2 returns nothing, and surfaces EC2 throttling', async () => {
    await refreshSpotPrices({ redis, ec2: ec2(), region: 'us-east-1', prefix, instanceTypes: ['g4dn.xlarge'] });
    aws.spotPrices = [];
    await refreshSpotPrices({ redis, ec2: ec2(), region: 'us-east-1', prefix, instanceTypes: ['g4dn.xlarge'] });
    expect((await readSpotPrices(redis, 'us-east-1', prefix)).prices).toEqual({ 'g4dn.xlarge': 0.2 });
    aws.throttleNext(1, 'ec2');
    await expect(fetchSpotPrices(ec2(), { instanceTypes: ['g4dn.xlarge'] })).rejects.toThrow(
      /AWS EC2 throttled DescribeSpotPriceHistory.*RequestLimitExceeded/,
    );
  });
});
