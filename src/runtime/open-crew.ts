import type { Redis } from 'ioredis';
import { loadPolicy } from '../agents/sentinel/policy/load-policy.js';
import { readConfig, type CrewConfig } from '../config/read-config.js';
import type { EnvSource } from '../config/read-env-values.js';
import { createLogger, type Logger } from '../log/create-logger.js';
import { readSecrets } from '../secrets/read-secrets.js';
import { connectRedis } from './connect-redis.js';
import { openSharedStores } from './open-shared-stores.js';
import type { FinopsJobs, PostDigest, PostDrift, PostSuggestions } from './start-finops.js';
import { ROLE_TOPICS } from './crew-roles.js';
import { ALL_ROLES, startCrew, type CrewRuntime, type Role } from './start-crew.js';
import type { Operations } from './start-operations.js';

export interface OpenCrewOptions {
  /** Where configuration and secrets are read from; default: this process's environment. */
  env?: EnvSource;
  cwd?: string;
  /** The agents this process runs (default: all); more may join later (crew.join). */
  roles?: readonly Role[];
  /** Names this process in the access policy it may publish (`crew serve`, `crew worker`, `crew CLI`). */
  label?: string;
  /** Refuses to start on a configuration this process cannot run with, before anything connects. */
  check?: (config: Readonly<CrewConfig>) => void;
  /** The level to log at, given the configured one (default: as configured). */
  logLevel?: (configured: string) => string;
  /** Overrides the logger built from the configuration (tests). */
  logger?: Logger;
  /** Metrics, the /metrics server and heartbeats, for long-running processes. */
  operations?: { surfaces?: readonly string[]; defaultMetricsPort?: number };
  /** FinPilot's jobs and Slack hooks (crew serve); `post` delivers the scheduled digest. */
  finops?: { post?: PostDigest; postSuggestions?: PostSuggestions; postDrift?: PostDrift };
  now?: () => Date;
}

/** A crew process, wired: what its surfaces and commands use, and one close for all of it. */
export interface RunningCrew {
  config: Readonly<CrewConfig>;
  logger: Logger;
  redis: Redis;
  /** Which Redis and why that one, for the user. */
  redisDescription: string;
  crew: CrewRuntime;
  operations?: Operations;
  finops?: FinopsJobs;
  /** Stops FinPilot's jobs, Vault renewal, metrics and heartbeats, the agents, then Redis; safe to call twice. */
  close(): Promise<void>;
}

/**
 * The composition root: secrets → configuration → logger → Redis → stores and agents →
 * operations. Every crew process (CLI commands, `crew worker`, `crew serve`) starts here.
 */
export async function openCrew(o: OpenCrewOptions = {}): Promise<RunningCrew> {
  // Secrets first (Vault, else the environment), so every one is masked before anything logs.
  const secrets = await readSecrets(o.env);
  const config = readConfig(o.env, o.cwd, secrets.values);
  o.check?.(config);
  const logger = o.logger ?? createLogger({ level: o.logLevel?.(config.logLevel) ?? config.logLevel });
  const renewal = secrets.startRenewal({ onError: (err) => logger.warn({ err }, 'vault token renewal failed') });
  const stack: Array<() => Promise<void> | void> = [() => renewal.stop()];
  let closing: Promise<void> | undefined;
  const close = () => {
    // Last opened, first closed.
    closing ??= stack.reverse().reduce<Promise<void>>((done, step) => done.then(step), Promise.resolve());
    return closing;
  };
  try {
    const policy = await loadPolicy(config.policyFile);
    // PostgreSQL first: a database that is down or too new stops the process before anything runs.
    // The PostgreSQL client only when a database is set.
    const pool = config.databaseUrl
      ? await (await import('../store/open-database.js')).openDatabase({ url: config.databaseUrl })
      : undefined;
    if (pool) stack.push(() => pool.end().catch(() => undefined));
    const { redis, description } = await connectRedis({
      redisUrl: config.redisUrl,
      cluster: config.redisCluster,
      dataDir: config.dataDir,
    });
    stack.push(() =>
      redis.quit().then(
        () => undefined,
        () => redis.disconnect(),
      ),
    );
    const shared = openSharedStores({ config, pool, redis, logger });
    if (shared) stack.push(() => shared.close());
    const late: { ops?: Operations } = {};
    const crew = startCrew({
      config,
      logger,
      redis,
      ...(o.roles ? { roles: o.roles } : {}),
      ...(policy ? { policy } : {}),
      ...(o.now ? { now: o.now } : {}),
      processLabel: o.label ?? 'crew CLI',
      // Long-running processes ready their agents' code at start; one-shot commands do not.
      ...(o.operations ? { warm: true } : {}),
      onTransition: (plan, from, to) => late.ops?.metrics.observePlanTransition(plan, from, to),
      onTerraform: (command, seconds) => late.ops?.metrics.observeTerraform(command, seconds),
      readAwsCredentials: secrets.readAwsCredentials,
      ...(shared ? { artifacts: shared.artifacts, audit: shared.audit } : {}),
    });
    stack.push(() => crew.close());
    // Every role's groups exist whichever roles run here: work this process leaves for a role it
    // does not run (a goal for Atlas) waits in that role's group, undelivered, for a process that does.
    await crew.bus.declareGroups(ALL_ROLES.flatMap((group) => ROLE_TOPICS[group].map((topic) => ({ topic, group }))));
    // Long-running processes fill in audit rows a killed process lost; commands stay quick.
    if (shared && o.operations) shared.catchUp(crew.plans);
    if (o.operations) {
      // Long-running processes keep Redis bounded: old stream entries and ended plans go.
      const { startRetention } = await import('./start-retention.js');
      const retention = startRetention({
        redis,
        logger,
        streamRetentionMs: config.streamRetentionMs,
        planRetentionMs: config.planRetentionMs,
      });
      stack.push(() => retention.stop());
    }
    if (o.operations) {
      const port = config.metricsPort ?? o.operations.defaultMetricsPort;
      const { startOperations } = await import('./start-operations.js');
      const ops = await startOperations({
        redis,
        plans: crew.plans,
        logger,
        agents: [...crew.roles(), ...(o.operations.surfaces ?? [])],
        ...(port !== undefined ? { metricsPort: port, metricsHost: config.metricsHost } : {}),
        ...(config.instance !== undefined ? { instance: config.instance } : {}),
      });
      late.ops = ops;
      stack.push(() => ops.close());
    }
    let finops: FinopsJobs | undefined;
    if (o.finops) {
      // FinPilot's AWS SDK and chart rendering load only for the processes that run its jobs.
      const { startFinops } = await import('./start-finops.js');
      const jobs = await startFinops({
        config,
        redis,
        crew,
        logger,
        ...(o.finops.post ? { post: o.finops.post } : {}),
        ...(o.finops.postSuggestions ? { postSuggestions: o.finops.postSuggestions } : {}),
        ...(o.finops.postDrift ? { postDrift: o.finops.postDrift } : {}),
      });
      finops = jobs;
      stack.push(() => jobs.close());
    }
    return {
      config,
      logger,
      redis,
      redisDescription: description,
      crew,
      ...(late.ops ? { operations: late.ops } : {}),
      ...(finops ? { finops } : {}),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
