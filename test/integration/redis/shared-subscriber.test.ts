import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { waitForPlan } from '../../../src/conductor/wait-for-plan.js';
import { readConfig } from '../../../src/config/read-config.js';
import { createLogger } from '../../../src/log/create-logger.js';
import { startCrew } from '../../../src/runtime/start-crew.js';
import { planChangedChannel } from '../../../src/redis/keys.js';
import { SharedSubscriber } from '../../../src/redis/shared-subscriber.js';
import { PlanStore } from '../../../src/store/plan-store.js';
import { useTestRedis } from '../../support/redis-server.js';

let redis: Redis;
useTestRedis((_s, c) => (redis = c));

const NEVER = 3_600_000;
const prefix = () => `t${randomBytes(4).toString('hex')}`;

/** The server's client connections now: id, channels subscribed, last command. */
async function clients(): Promise<Array<{ id: string; sub: number; cmd: string }>> {
  const list = (await redis.call('CLIENT', 'LIST')) as string;
  return list
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const f = Object.fromEntries(line.split(' ').map((kv) => kv.split('=', 2) as [string, string]));
      return { id: f.id ?? '', sub: Number(f.sub ?? 0), cmd: f.cmd ?? '' };
    });
}

/** Connections holding a subscription, or whose last command was one (left idle to linger). */
async function subscriberIds(): Promise<string[]> {
  return (await clients()).filter((c) => c.sub > 0 || /^(un)?subscribe$/.test(c.cmd)).map((c) => c.id);
}

/** Channels the server has subscribers for, among `channels`. */
async function subscribedChannels(channels: string[]): Promise<string[]> {
  const counts = (await redis.call('PUBSUB', 'NUMSUB', ...channels)) as Array<string | number>;
  return channels.filter((_c, i) => Number(counts[2 * i + 1]) > 0);
}

async function until(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('plan watchers on one shared subscriber connection', () => {
  it('20 waits on 20 plans hold one connection between them, and each is woken by its own plan', async () => {
    const p = prefix();
    const plans = new PlanStore({ redis, prefix: p });
    const ids = Array.from({ length: 20 }, (_, i) => `p-share${i}`);
    for (const id of ids) await plans.create({ id, goal: 'g', requestedBy: 'alice' });
    const waits = ids.map((id) => waitForPlan(plans, id, ['PENDING'], { timeoutMs: NEVER, fallbackMs: NEVER }));
    await until(
      async () => (await subscribedChannels(ids.map((id) => planChangedChannel(p, id)))).length === 20,
      'all 20 channels subscribed',
    );
    // One connection holds all 20 subscriptions.
    expect((await clients()).filter((c) => c.sub > 0).map((c) => c.sub)).toEqual([20]);
    const [shared] = await subscriberIds();
    for (const id of ids) await plans.advance(id, 'PLAN_SPEC', 'atlas', 'parsed');
    expect((await Promise.all(waits)).map((p) => p.state)).toEqual(ids.map(() => 'PENDING'));
    // Nobody watches now: the store's own connection is closed.
    await until(async () => !(await clients()).some((c) => c.id === shared), 'the subscriber connection to close');
  }, 30_000);

  it('keeps a channel for its other watchers when one stops, and leaves it with the last', async () => {
    const shared = new SharedSubscriber(redis);
    const channel = `${prefix()}:ch`;
    const seen = { a: 0, b: 0 };
    const stopA = await shared.watch(channel, () => seen.a++);
    const stopB = await shared.watch(channel, () => seen.b++);
    await redis.publish(channel, '1');
    await until(() => seen.a === 1 && seen.b === 1, 'both watchers told');
    await stopA();
    await redis.publish(channel, '1');
    await until(() => seen.b === 2, 'the remaining watcher told');
    expect(seen.a).toBe(1);
    expect(await subscribedChannels([channel])).toEqual([channel]);
    await stopB();
    expect(shared.connections).toBe(0);
    await until(async () => (await subscribedChannels([channel])).length === 0, 'the channel left');
  });

  it('a channel left and watched again at once stays subscribed', async () => {
    const shared = new SharedSubscriber(redis, { lingerMs: NEVER });
    try {
      const channel = `${prefix()}:ch`;
      const stop = await shared.watch(channel, () => undefined);
      let told = 0;
      const leaving = stop();
      const stopAgain = await shared.watch(channel, () => told++);
      await leaving;
      await redis.publish(channel, '1');
      await until(() => told === 1, 'the new watcher told');
      await stopAgain();
    } finally {
      await shared.close();
    }
  });

  it('with a linger, the next watcher reuses the idle connection; close() ends it', async () => {
    const shared = new SharedSubscriber(redis, { lingerMs: NEVER });
    const channel = `${prefix()}:ch`;
    await (
      await shared.watch(channel, () => undefined)
    )();
    expect(shared.connections).toBe(1);
    const idle = await subscriberIds();
    expect(idle).toHaveLength(1);
    let told = 0;
    const stop = await shared.watch(channel, () => told++);
    // The same connection, subscribed again.
    expect(await subscriberIds()).toEqual(idle);
    await redis.publish(channel, '1');
    await until(() => told === 1, 'the watcher told');
    await stop();
    await shared.close();
    expect(shared.connections).toBe(0);
    await until(async () => !(await clients()).some((c) => c.id === idle[0]), 'the connection closed');
  });

  it("a crew keeps its watchers' connection between waits, and closes it with the crew", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'crew-watch-'));
    const crew = startCrew({
      config: readConfig({ CREW_DATA_DIR: dataDir }),
      logger: createLogger({ level: 'silent' }),
      redis,
      prefix: prefix(),
      roles: [],
    });
    try {
      const ids: string[][] = [];
      for (const id of ['p-crewwait1', 'p-crewwait2']) {
        await crew.plans.create({ id, goal: 'g', requestedBy: 'alice' });
        const waiting = waitForPlan(crew.plans, id, ['PENDING'], { timeoutMs: NEVER, fallbackMs: NEVER });
        await until(async () => (await clients()).some((c) => c.sub > 0), 'the wait subscribed');
        ids.push(await subscriberIds());
        await crew.plans.advance(id, 'PLAN_SPEC', 'atlas', 'parsed');
        await waiting;
      }
      // Both waits on the one connection, still open with nobody waiting.
      expect(ids[0]).toHaveLength(1);
      expect(ids[1]).toEqual(ids[0]);
      expect(await subscriberIds()).toEqual(ids[0]);
      await crew.close();
      await until(async () => !(await clients()).some((c) => c.id === ids[0]?.[0]), 'the connection closed');
    } finally {
      await crew.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('subscribes again after its connection is killed, so later changes still wake watchers', async () => {
    const shared = new SharedSubscriber(redis);
    const channel = `${prefix()}:ch`;
    let told = 0;
    const stop = await shared.watch(channel, () => told++);
    try {
      await redis.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
      await until(async () => (await subscribedChannels([channel])).length === 1, 'the channel subscribed again');
      await redis.publish(channel, '1');
      await until(() => told === 1, 'the watcher told after the reconnect');
    } finally {
      await stop();
    }
  }, 20_000);
});
