import type { Redis } from 'ioredis';
import { loadPolicy } from '../agents/sentinel/policy/load-policy.js';
import { readConfig, type CrewConfig } from '../config/read-config.js';
import type { EnvSource } from '../config/read-env-values.js';
import { readSecrets } from '../secrets/read-secrets.js';
import { PlanStore } from '../store/plan-store.js';
import { StackStore } from '../store/stack-store.js';
import { connectRedis } from './connect-redis.js';

/** What a read-only command needs: the stores, and no bus, agents, heartbeat or consumer. */
export interface CrewReader {
  config: Readonly<CrewConfig>;
  redis: Redis;
  /** Which Redis and why that one, for the user. */
  redisDescription: string;
  plans: PlanStore;
  stacks: StackStore;
  /** Closes the Redis connection; safe to call twice. */
  close(): Promise<void>;
}

export interface OpenReaderOptions {
  env?: EnvSource;
  cwd?: string;
  prefix?: string;
}

/**
 * Opens the crew's stores for reading and nothing else: `crew status`, `history`, `parse` and
 * `digest` answer from Redis and exit without joining a consumer group or writing a key.
 */
export async function openReader(o: OpenReaderOptions = {}): Promise<CrewReader> {
  const secrets = await readSecrets(o.env);
  const config = readConfig(o.env, o.cwd, secrets.values);
  // Read like every command's, so a bad policy file stops a read-only command too.
  await loadPolicy(config.policyFile);
  const { redis, description } = await connectRedis({
    redisUrl: config.redisUrl,
    cluster: config.redisCluster,
    dataDir: config.dataDir,
  });
  const prefix = o.prefix ?? 'crew';
  let closing: Promise<void> | undefined;
  return {
    config,
    redis,
    redisDescription: description,
    plans: new PlanStore({ redis, prefix }),
    stacks: new StackStore({ redis, prefix }),
    close: () => {
      closing ??= redis.quit().then(
        () => undefined,
        () => redis.disconnect(),
      );
      return closing;
    },
  };
}
