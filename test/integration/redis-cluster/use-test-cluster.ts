import type { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { startRedisCluster, type TestRedisCluster } from '../../support/redis-cluster.js';

/** One three-master Redis Cluster for the test file that calls it, and a cluster client. */
export function useTestCluster(onStart: (cluster: TestRedisCluster, client: Redis) => void): void {
  let cluster: TestRedisCluster | undefined;
  beforeAll(async () => {
    cluster = await startRedisCluster();
    onStart(cluster, cluster.client());
  }, 60_000);
  afterAll(async () => cluster?.stop());
}
