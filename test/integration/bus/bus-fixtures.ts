import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { ARTIFACT_TYPES } from '../../../contracts/artifacts.js';
import type { Artifact } from '../../../contracts/envelope.js';
import { createLogger } from '../../../src/log/create-logger.js';
import { RedisBus, type RedisBusOptions } from '../../../src/bus/redis-bus.js';
import type { TopicTypes } from '../../../src/bus/topic-map.js';
import { TOPICS } from '../../../src/bus/topics.js';
import { sleep, waitFor } from '../../support/wait-for.js';
import { startRedisCluster } from '../../support/redis-cluster.js';
import { startRedis } from '../../support/redis-server.js';

export const logger = createLogger({ level: process.env.BUS_TEST_LOG ?? 'silent' });

export function randomPrefix(): string {
  return `t${randomBytes(5).toString('hex')}`;
}

let seq = 0;

/** A valid OpsEvent; each call gets a fresh id unless one is given. */
export function opsEvent(overrides: Partial<{ id: string; planId: string; detail: string }> = {}): Artifact {
  seq += 1;
  return {
    id: overrides.id ?? `a-${process.pid}-${Date.now()}-${String(seq).padStart(6, '0')}`,
    type: 'OpsEvent',
    version: '0.1',
    planId: overrides.planId ?? 'p-test1',
    producer: 'test',
    createdAt: new Date().toISOString(),
    payload: { kind: 'heartbeat', detail: overrides.detail ?? 'ok' },
  };
}

/** Timings small enough that retries and recovery happen within a test's patience. */
export const FAST = {
  blockMs: 100,
  retryIntervalMs: 50,
  recoverIntervalMs: 200,
  retryBackoffMs: 50,
  retryBackoffMaxMs: 200,
  livenessTtlMs: 1_000,
  heartbeatMs: 250,
} satisfies Partial<RedisBusOptions>;

/** Every topic carries every type: these tests exercise the bus machinery, not the crew's routes. */
export type AnyTopic = { readonly [T in keyof TopicTypes]: { readonly carries: typeof ARTIFACT_TYPES } };
export const ANY_TOPIC = Object.fromEntries(TOPICS.map((t) => [t, { carries: ARTIFACT_TYPES }])) as AnyTopic;

export type TestBus = RedisBus<AnyTopic>;

export function makeBus(redis: Redis, prefix: string, options: Partial<RedisBusOptions<AnyTopic>> = {}): TestBus {
  return new RedisBus({ redis, logger, prefix, topics: ANY_TOPIC, ...FAST, ...options });
}

export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Entries of a stream as plain field maps. */
export async function readStream(redis: Redis, key: string): Promise<Array<Record<string, string>>> {
  const rows = await redis.xrange(key, '-', '+');
  return rows.map(([, fields]) => {
    const out: Record<string, string> = {};
    for (let i = 0; i + 1 < fields.length; i += 2) out[fields[i] as string] = fields[i + 1] as string;
    return out;
  });
}

/** Pending count of a group; -1 while the group does not exist yet. */
export async function pendingCount(redis: Redis, key: string, group: string): Promise<number> {
  try {
    return Number((await redis.xpending(key, group))[0]);
  } catch {
    return -1;
  }
}

export { sleep, waitFor };

/** The Redis a bus suite runs on: a client per call, stopped after the file. */
export interface BusRedis {
  client(): Redis;
  stop(): Promise<void>;
}

/**
 * One redis-server, or a three-master Redis Cluster when CREW_TEST_REDIS_CLUSTER=1: the
 * suites in test/integration/redis-cluster set it and run these same scenarios on a cluster.
 */
export async function startBusRedis(): Promise<BusRedis> {
  return process.env.CREW_TEST_REDIS_CLUSTER === '1' ? startRedisCluster() : startRedis();
}
