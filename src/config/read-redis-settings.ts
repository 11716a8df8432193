import { CrewError } from '../errors.js';
import type { EnvSource } from './read-env-values.js';

/** Where Redis is: one server (or the embedded defaults), or the seed nodes of a Redis Cluster. */
export interface RedisSettings {
  /** REDIS_URL as given; with a cluster, the comma-separated seed URLs. */
  redisUrl?: string;
  /** REDIS_URL lists several nodes (`redis://h1:p1,redis://h2:p2`) or CREW_REDIS_CLUSTER=1. */
  redisCluster: boolean;
}

const URL_RE = /^rediss?:\/\//;

/** REDIS_URL and CREW_REDIS_CLUSTER, checked: a cluster needs its seed nodes named. */
export function readRedisSettings(env: EnvSource): RedisSettings {
  const raw = env.REDIS_URL?.trim() || undefined;
  const flag = env.CREW_REDIS_CLUSTER?.trim() ?? '';
  if (!['', '0', '1', 'true', 'false'].includes(flag))
    throw new CrewError('CREW_ERR_CONFIG', `CREW_REDIS_CLUSTER=${flag} is not 1 or 0`);
  const urls = raw?.split(',').map((u) => u.trim()) ?? [];
  const bad = urls.find((u) => !URL_RE.test(u));
  if (urls.length > 1 && bad !== undefined)
    throw new CrewError('CREW_ERR_CONFIG', `REDIS_URL lists "${bad}": each node is a redis:// or rediss:// URL`);
  const redisCluster = urls.length > 1 || flag === '1' || flag === 'true';
  if (redisCluster && !raw)
    throw new CrewError('CREW_ERR_CONFIG', 'CREW_REDIS_CLUSTER=1 needs REDIS_URL to name at least one cluster node');
  return { ...(raw ? { redisUrl: raw } : {}), redisCluster };
}
