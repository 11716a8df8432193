import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connectRedis } from '../../../src/runtime/connect-redis.js';
import { freePort, useTestRedis, type TestRedis } from '../../support/redis-server.js';

let single: TestRedis;
useTestRedis((s) => (single = s), { aof: false });
const dataDir = mkdtempSync(join(tmpdir(), 'crew-connect-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('connectRedis with a cluster asked for', () => {
  it('says so clearly when no node answers', async () => {
    const url = `redis://127.0.0.1:${await freePort()},redis://127.0.0.1:${await freePort()}`;
    await expect(connectRedis({ redisUrl: url, cluster: true, dataDir })).rejects.toMatchObject({
      code: 'CREW_ERR_REDIS',
      message: expect.stringContaining('cannot reach a ready Redis Cluster at REDIS_URL (redis://127.0.0.1:'),
    });
  });

  it('refuses a single server that is not a cluster node, naming the setting', async () => {
    await expect(connectRedis({ redisUrl: single.url, cluster: true, dataDir })).rejects.toMatchObject({
      code: 'CREW_ERR_REDIS',
      message: `${single.url} answers as a single Redis, not as a ready cluster node: list one URL and unset CREW_REDIS_CLUSTER, or finish the cluster`,
    });
  });
});
