import type { Redis } from 'ioredis';
import type { CrewConfig } from '../config/read-config.js';
import type { Logger } from '../log/create-logger.js';
import type { CrewRuntime, Role } from '../runtime/start-crew.js';
import type { Operations } from '../runtime/start-operations.js';
import type { CliIo } from './cli-io.js';
import { describeAccessPolicy, diffAccessRules, type AccessPolicy } from '../access/access-policy.js';

export interface CrewSession {
  config: Readonly<CrewConfig>;
  logger: Logger;
  redis: Redis;
  crew: CrewRuntime;
  /** Metrics and heartbeats, for long-running commands (serve, worker). */
  operations?: Operations;
  /** The crew's access policy in force when the command started (identity rules come from it). */
  access: AccessPolicy;
}

/**
 * The crew's rules for this command: an operator process (crew worker) publishes its own; any
 * other command reads the published ones, and is told when its environment asks for others.
 */
export async function settleAccessPolicy(
  io: CliIo,
  crew: CrewRuntime,
  config: Readonly<CrewConfig>,
  operator: boolean,
): Promise<AccessPolicy> {
  if (operator) {
    const own = crew.ownAccessPolicy('operator');
    const before = await crew.access.publish(own);
    const changed = before ? diffAccessRules(own, before) : [];
    if (changed.length) io.err(`access policy replaced (was set by ${before?.setBy}): ${changed.join('; ')}`);
    return own;
  }
  const current = await crew.access.current();
  const differs =
    config.accessSettings.length > 0 ? diffAccessRules(current, crew.ownAccessPolicy('first-process')) : [];
  if (differs.length) {
    io.err(
      `note: this crew's access rules are set where it runs, not by this terminal; ${config.accessSettings.join(', ')} here ${config.accessSettings.length > 1 ? 'are' : 'is'} not used. ` +
        `In force: ${differs.join('; ')}. (${describeAccessPolicy(current)})`,
    );
  }
  return current;
}

/**
 * Joins the crew for the length of one command: connects Redis per the embedded defaults,
 * runs the agents of `roles` (default: all; the ones the command's plan needs, so the CLI works
 * alone and beside a server) and closes everything after. More may join later (`crew.join`).
 */
export async function withCrew<T>(
  io: CliIo,
  fn: (s: CrewSession) => Promise<T>,
  roles?: readonly Role[],
  options: {
    handleSignals?: boolean;
    operations?: { surface?: string; defaultMetricsPort?: number };
    operator?: boolean;
    label?: string;
  } = {},
): Promise<T> {
  const surfaces = options.operations?.surface ? [options.operations.surface] : [];
  // The agents (and what they load: Terraform runners, the AWS SDK…) only for commands that run them.
  const { openCrew } = await import('../runtime/open-crew.js');
  const running = await openCrew({
    ...(roles ? { roles } : {}),
    label: options.label ?? 'crew CLI',
    ...(options.operations
      ? {
          operations: {
            surfaces,
            ...(options.operations.defaultMetricsPort !== undefined
              ? { defaultMetricsPort: options.operations.defaultMetricsPort }
              : {}),
          },
        }
      : {}),
  });
  const { config, logger, redis, crew, operations } = running;
  io.err(running.redisDescription);
  if (operations?.port !== undefined) io.err(`metrics: http://${config.metricsHost}:${operations.port}/metrics`);
  // A command interrupted mid-wait stops reading, lets in-flight handlers finish and exits;
  // whatever it had not finished stays pending for the next crew process.
  const stop = () => void running.close().finally(() => process.exit(130));
  if (options.handleSignals !== false) {
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  }
  try {
    const access = await settleAccessPolicy(io, crew, config, options.operator === true);
    return await fn({ config, logger, redis, crew, access, ...(operations ? { operations } : {}) });
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await running.close();
  }
}
