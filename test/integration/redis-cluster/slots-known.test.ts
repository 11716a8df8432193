import { Cluster } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { asRedis, slotsKnown } from '../../../src/redis/cluster-client.js';
import { freePort, startRedis } from '../../support/redis-server.js';

/** Rejects after `ms` unless `p` settles first, naming what never happened. */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    p,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms)),
  ]);
}

const never = new Promise<void>(() => undefined);

describe('slotsKnown: a reader waits for the slot map before its first read', () => {
  it('resolves at once for one server', async () => {
    const server = await startRedis();
    try {
      await within(slotsKnown(server.client(), never), 1_000, 'resolved for one server');
    } finally {
      await server.stop();
    }
  });

  it('resolves when a Cluster client gives up connecting, so its commands fail as they would have', async () => {
    const cluster = new Cluster([{ host: '127.0.0.1', port: await freePort() }], { clusterRetryStrategy: () => null });
    cluster.on('error', () => undefined);
    try {
      await within(slotsKnown(asRedis(cluster), never), 5_000, 'resolved once the client gave up');
      expect(cluster.status).toBe('end');
    } finally {
      cluster.disconnect();
    }
  });

  it('resolves when told to stop before the client is connected', async () => {
    const cluster = new Cluster([{ host: '127.0.0.1', port: await freePort() }], {
      lazyConnect: true,
      clusterRetryStrategy: () => null,
    });
    cluster.on('error', () => undefined);
    await within(slotsKnown(asRedis(cluster), Promise.resolve()), 1_000, 'resolved on stop');
    expect(cluster.listenerCount('ready') + cluster.listenerCount('end')).toBe(0);
    cluster.disconnect();
  });
});
