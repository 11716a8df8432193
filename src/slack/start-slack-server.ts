import type { AddressInfo } from 'node:net';
import { webApi } from '@slack/bolt';
import type { Redis } from 'ioredis';
import { diffAccessRules } from '../access/access-policy.js';
import { requireSlackConfig, type SlackConfig } from '../config/read-slack-settings.js';
import type { RunningCrew } from '../runtime/open-crew.js';
import type { CrewRuntime } from '../runtime/start-crew.js';
import { createTriggerGuard } from './claim-once.js';
import {
  clientOptions,
  createSlackApp,
  threadClientOptions,
  type RegisterHandlers,
  type SlackApp,
} from './create-slack-app.js';
import { followPlans } from './follow-plans.js';
import { ChannelPace, postAtPace, type PostMessage } from './pace-channel.js';
import { ReviewThreads } from './post-review.js';
import { ReplyOutbox } from './reply-outbox.js';
import { ReplyOutboxStore } from '../store/reply-outbox-store.js';
import { resolveApprovers } from './resolve-approvers.js';
import type { FinOpsHooks, SlackDeps } from './slack-deps.js';
import { errorMessage } from '../errors.js';

export interface SlackServerOptions {
  /** The running crew the Slack surface serves (from openCrew). */
  running: Pick<RunningCrew, 'config' | 'logger' | 'redis' | 'crew'>;
  /** The Slack surface's handlers (handlers/register-handlers.ts): the entry point passes them in. */
  registerHandlers: RegisterHandlers;
  /** FinOps hooks (`/crew schedule`, `/crew digest`); absent: FinOps is not configured. */
  finops?: FinOpsHooks;
  /** Told how long each slash command took to ack (metrics). */
  observeAck?: (seconds: number) => void;
  /** Overrides CREW_HTTP_PORT (0 picks a free port). */
  httpPort?: number;
  /** How often user groups in CREW_APPROVERS are re-read. Default 5 minutes. */
  approverRefreshMs?: number;
  now?: () => Date;
  /** The plan page for a plan id, when the crew serves one: the review links it as "Full plan". */
  fullPlanUrl?: (planId: string) => string | undefined;
  /** Transitions of one plan within this window become one reply (default 1 s). */
  replyCoalesceMs?: number;
}

export interface SlackServer {
  mode: SlackConfig['mode'];
  /** The HTTP port actually listened on (HTTP mode). */
  port?: number;
  app: SlackApp;
  crew: CrewRuntime;
  /** Review-thread replies waiting to be posted (tests wait on `idle()`). */
  replies: ReplyOutbox;
  redis: Redis;
  /** chat.postMessage through the process's one pace per channel (digests, drift reports). */
  post: PostMessage;
  /** Stops Bolt (the crew is its owner's to close); safe to call twice. */
  close(): Promise<void>;
}

/** `crew serve`: the Bolt app on a running crew, over the shared bus. */
export async function startSlackServer(o: SlackServerOptions): Promise<SlackServer> {
  const { config, logger, redis, crew } = o.running;
  const slack = requireSlackConfig(config.slack);
  const web = new webApi.WebClient(slack.botToken, clientOptions(slack));
  // The Conductor's approval rules compare user ids: user groups are expanded before publishing.
  const approvers = await resolveApprovers(web, slack.approvers);
  // crew serve is the operator's process: its rules become the crew's, for every process and surface.
  const publishAccess = async () => {
    const own = crew.ownAccessPolicy('operator', approvers);
    const before = await crew.access.publish(own);
    const changed = before ? diffAccessRules(own, before) : [];
    if (changed.length) logger.warn({ was: before?.setBy, changed }, 'access policy replaced');
  };
  await publishAccess();
  const guard = createTriggerGuard(redis);
  // One pace for every post this process makes: the review threads' and the handlers' answers.
  const pace = new ChannelPace();
  const deps: SlackDeps = {
    config: slack,
    ops: crew.ops,
    plans: crew.plans,
    stacks: crew.stacks,
    guard,
    logger,
    approvers: () => approvers,
    pace,
    ...(config.budgetUsd !== undefined ? { budgetUsd: config.budgetUsd } : {}),
    ...(o.now ? { now: o.now } : {}),
    ...(o.observeAck ? { observeAck: o.observeAck } : {}),
    ...o.finops,
  };
  const app = createSlackApp(slack, deps, logger, o.registerHandlers);
  const threads = new ReviewThreads({
    client: new webApi.WebClient(slack.botToken, threadClientOptions(slack)),
    plans: crew.plans,
    artifacts: crew.artifacts,
    guard,
    logger,
    approverEntries: slack.approvers,
    pace,
    ...(slack.reviewChannel ? { reviewChannel: slack.reviewChannel } : {}),
    ...(o.fullPlanUrl ? { fullPlanUrl: o.fullPlanUrl } : {}),
  });
  const replies = new ReplyOutbox({
    store: new ReplyOutboxStore({ redis }),
    threads,
    logger,
    ...(o.replyCoalesceMs !== undefined ? { coalesceMs: o.replyCoalesceMs } : {}),
  });
  let port: number | undefined;
  await app.init();
  followPlans(crew.bus, replies, guard, logger);
  await replies.start();
  if (slack.mode === 'socket') {
    await app.start();
  } else {
    const server = await app.start({
      port: o.httpPort ?? slack.httpPort,
      ...(slack.httpHost ? { host: slack.httpHost } : {}),
    });
    port = (server.address() as AddressInfo).port;
  }
  let refresh: NodeJS.Timeout | undefined;
  if (slack.approvers.some((e) => e.startsWith('S'))) {
    // Group membership changes; the array is updated in place because the handlers hold it.
    refresh = setInterval(
      () => {
        resolveApprovers(web, slack.approvers)
          .then((next) => approvers.splice(0, approvers.length, ...next))
          .then(publishAccess)
          .catch((err: unknown) => logger.warn({ err: errorMessage(err) }, 'approver groups not refreshed'));
      },
      o.approverRefreshMs ?? 5 * 60_000,
    );
    refresh.unref();
  }
  let closing: Promise<void> | undefined;
  return {
    mode: slack.mode,
    ...(port !== undefined ? { port } : {}),
    app,
    crew,
    redis,
    replies,
    post: (args) => postAtPace(pace, app.client, args),
    close: () => {
      closing ??= (async () => {
        if (refresh) clearInterval(refresh);
        await replies.close();
        await app.stop().catch((err: unknown) => logger.warn({ err: errorMessage(err) }, 'bolt did not stop cleanly'));
      })();
      return closing;
    },
  };
}
