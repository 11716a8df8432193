import type { AddressInfo } from 'node:net';
import { webApi } from '@slack/bolt';
import type { Redis } from 'ioredis';
import { loadPolicy } from '../agents/sentinel/policy/load-policy.js';
import { readConfig } from '../config/read-config.js';
import { createLogger, type Logger } from '../log/create-logger.js';
import { connectRedis } from '../runtime/connect-redis.js';
import { startCrew, type CrewRuntime, type StartCrewOptions } from '../runtime/start-crew.js';
import { createTriggerGuard } from './claim-once.js';
import { clientOptions, createSlackApp, type RegisterHandlers, type SlackApp } from './create-slack-app.js';
import { followPlans } from './follow-plans.js';
import { ReviewThreads } from './post-review.js';
import { readSlackConfig, type SlackConfig } from './read-slack-config.js';
import { resolveApprovers } from './resolve-approvers.js';
import { diffAccessRules } from '../access/access-policy.js';
import type { FinOpsHooks, SlackDeps } from './slack-deps.js';
import { errorMessage } from '../errors.js';

export interface SlackServerOptions {
  /** The Slack surface's handlers (handlers/register-handlers.ts): the entry point passes them in. */
  registerHandlers: RegisterHandlers;
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** FinOps hooks, or a factory given the running crew (FinPilot needs its operations). */
  finops?: FinOpsHooks | ((crew: CrewRuntime, redis: Redis) => Promise<FinOpsHooks>);
  /** Told how long each slash command took to ack (metrics). */
  observeAck?: (seconds: number) => void;
  /** Passed to the crew: transition and Terraform timing hooks (metrics). */
  crewHooks?: Pick<StartCrewOptions, 'onTransition' | 'onTerraform'>;
  /** Overrides CREW_HTTP_PORT (0 picks a free port). */
  httpPort?: number;
  /** How often user groups in CREW_APPROVERS are re-read. Default 5 minutes. */
  approverRefreshMs?: number;
  now?: () => Date;
}

export interface SlackServer {
  mode: SlackConfig['mode'];
  /** The HTTP port actually listened on (HTTP mode). */
  port?: number;
  app: SlackApp;
  crew: CrewRuntime;
  redis: Redis;
  /** Stops Bolt, then the crew, then Redis; safe to call twice. */
  close(): Promise<void>;
}

/** `crew serve`: the Bolt app beside the Conductor and all agents, in one process, over the shared bus. */
export async function startSlackServer(o: SlackServerOptions): Promise<SlackServer> {
  const env = o.env ?? process.env;
  const slack = readSlackConfig(env);
  const config = readConfig(env);
  const logger = o.logger ?? createLogger({ level: config.logLevel });
  const policy = await loadPolicy(config.policyFile);
  const web = new webApi.WebClient(slack.botToken, clientOptions(slack));
  // Resolved before the crew starts: the Conductor's approval rules compare user ids.
  const approvers = await resolveApprovers(web, slack.approvers);
  const { redis, description } = await connectRedis({ redisUrl: config.redisUrl, dataDir: config.dataDir });
  logger.info(description);
  const crew = startCrew({ config: { ...config, approvers }, logger, redis, processLabel: 'crew serve', ...(policy ? { policy } : {}), ...(o.now ? { now: o.now } : {}), ...o.crewHooks });
  // crew serve is the operator's process: its rules become the crew's, for every process and surface.
  const publishAccess = async () => {
    const own = crew.ownAccessPolicy('operator');
    const before = await crew.access.publish(own);
    const changed = before ? diffAccessRules(own, before) : [];
    if (changed.length) logger.warn({ was: before?.setBy, changed }, 'access policy replaced');
  };
  await publishAccess();
  const guard = createTriggerGuard(redis);
  const finops = typeof o.finops === 'function' ? await o.finops(crew, redis) : o.finops;
  const deps: SlackDeps = {
    config: slack, ops: crew.ops, plans: crew.plans, stacks: crew.stacks, guard, logger,
    approvers: () => approvers,
    ...(config.budgetUsd !== undefined ? { budgetUsd: config.budgetUsd } : {}),
    ...(o.now ? { now: o.now } : {}),
    ...(o.observeAck ? { observeAck: o.observeAck } : {}),
    ...finops,
  };
  const app = createSlackApp(slack, deps, logger, o.registerHandlers);
  const threads = new ReviewThreads({ client: app.client, plans: crew.plans, guard, logger, approverEntries: slack.approvers, ...(slack.reviewChannel ? { reviewChannel: slack.reviewChannel } : {}) });
  let refresh: NodeJS.Timeout | undefined;
  const stopEarly = async () => {
    await crew.close();
    await redis.quit().catch(() => redis.disconnect());
  };
  let port: number | undefined;
  try {
    await app.init();
    followPlans(crew.bus, threads, guard, logger);
    if (slack.mode === 'socket') {
      await app.start();
    } else {
      const server = await app.start({ port: o.httpPort ?? slack.httpPort, ...(slack.httpHost ? { host: slack.httpHost } : {}) });
      port = (server.address() as AddressInfo).port;
    }
  } catch (err) {
    await stopEarly();
    throw err;
  }
  if (slack.approvers.some((e) => e.startsWith('S'))) {
    // Group membership changes; the array is updated in place because the crew holds it.
    refresh = setInterval(() => {
      resolveApprovers(web, slack.approvers)
        .then((next) => approvers.splice(0, approvers.length, ...next))
        .then(publishAccess)
        .catch((err: unknown) => logger.warn({ err: errorMessage(err) }, 'approver groups not refreshed'));
    }, o.approverRefreshMs ?? 5 * 60_000);
    refresh.unref();
  }
  let closing: Promise<void> | undefined;
  return {
    mode: slack.mode,
    ...(port !== undefined ? { port } : {}),
    app, crew, redis,
    close: () => {
      closing ??= (async () => {
        if (refresh) clearInterval(refresh);
        await app.stop().catch((err: unknown) => logger.warn({ err: errorMessage(err) }, 'bolt did not stop cleanly'));
        await stopEarly();
      })();
      return closing;
    },
  };
}
