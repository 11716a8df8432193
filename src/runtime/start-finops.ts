import type { Redis } from 'ioredis';
import type { CrewConfig } from '../config/read-config.js';
import type { SuggestionList } from '../agents/finpilot/suggest-savings.js';
import type { DriftRunResult } from '../store/drift-types.js';
import { ok } from '../errors.js';
import { RolloutWatchStore } from '../store/rollout-watch-store.js';
import type { Logger } from '../log/create-logger.js';
import type { FinOpsHooks } from './finops-hooks.js';
import type { CrewRuntime } from './start-crew.js';

export interface FinopsJobs {
  hooks: FinOpsHooks;
  close(): void;
}

/** Posts the scheduled cost digest (text + chart) to a channel. */
export type PostDigest = (channel: string, text: string, png: Buffer) => Promise<void>;

/** Posts the weekly savings suggestions (with a Plan this button each) to a channel. */
export type PostSuggestions = (channel: string, list: SuggestionList) => Promise<void>;

/** Posts a drift run's reports (one thread per stack, with Revert / Adopt / Snooze) to a channel. */
export type PostDrift = (channel: string, run: DriftRunResult, scheduled: boolean) => Promise<void>;

export interface StartFinopsOptions {
  config: Readonly<CrewConfig>;
  redis: Redis;
  crew: CrewRuntime;
  logger: Logger;
  /** Posts the scheduled digest to CREW_DIGEST_CHANNEL; absent (or no channel): no scheduled digest. */
  post?: PostDigest;
  /** Posts the weekly suggestions to CREW_DIGEST_CHANNEL; absent (or no channel): none posted. */
  postSuggestions?: PostSuggestions;
  /** Posts drift reports to CREW_REVIEW_CHANNEL (else CREW_DIGEST_CHANNEL); absent (or no channel): none posted. */
  postDrift?: PostDrift;
}

/**
 * FinPilot for a long-running process: `/crew schedule` and `/crew digest`, the weekly digest
 * on a cron in CREW_TZ, and Spot price refreshes when AWS credentials are configured.
 */
export async function startFinops(o: StartFinopsOptions): Promise<FinopsJobs> {
  const { config } = o;
  const [aws, slackDeps, digest, spot, drift, savings, savingsDeps, actuals, rollouts, readRollout] = await Promise.all(
    [
      import('../agents/finpilot/aws-clients.js'),
      import('../agents/finpilot/finops-slack-deps.js'),
      import('../agents/finpilot/schedule-digest.js'),
      import('../agents/finpilot/spot-prices.js'),
      import('./start-drift-checks.js'),
      import('../agents/finpilot/suggest-savings.js'),
      import('./build-savings-deps.js'),
      import('../agents/finpilot/read-actual-costs.js'),
      import('../agents/forge/follow-rollouts.js'),
      import('../agents/forge/read-rollout.js'),
    ],
  );
  const costs = actuals.costExplorerActuals(config.aws);
  const autoScaling = aws.createAutoScalingClient(config.aws.client);
  const deps = {
    redis: o.redis,
    stacks: o.crew.stacks,
    region: config.region,
    budgetUsd: config.budgetUsd ?? null,
    brakeRatio: config.brakeRatio,
    plans: o.crew.plans,
    ...(costs ? { actuals: costs } : {}),
  };
  const suggestDeps = await savingsDeps.buildSavingsDeps({ config, redis: o.redis, stacks: o.crew.stacks });
  const finops = slackDeps.finopsSlackDeps({ ops: o.crew.ops, digest: deps, timezone: config.timezone, autoScaling });
  const onError = (what: string) => (err: unknown) => o.logger.warn({ err }, `${what} failed`);
  const jobs: Array<{ stop(): void }> = [];
  const { channel, cron } = config.digest;
  if (o.post && channel) {
    const post = o.post;
    jobs.push(
      digest.scheduleDigest({
        deps,
        timezone: config.timezone,
        ...(cron ? { cron } : {}),
        post: (text, png) => post(channel, text, png),
        onError: onError('cost digest'),
      }),
    );
  }
  if (o.postSuggestions && channel) {
    const postSuggestions = o.postSuggestions;
    jobs.push(
      savings.scheduleSuggestions({
        timezone: config.timezone,
        ...(config.suggest.cron ? { cron: config.suggest.cron } : {}),
        run: async () => postSuggestions(channel, await savings.suggestSavings(suggestDeps)),
        onError: onError('savings suggestions'),
      }),
    );
  }
  if (config.aws.hasCredentials) {
    jobs.push(
      spot.scheduleSpotRefresh({
        redis: o.redis,
        ec2: aws.createEc2Client(config.aws.client),
        region: config.region,
        instanceTypes: config.instanceTypes,
        onError: onError('spot price refresh'),
      }),
    );
  }
  const driftChannel = config.slack.reviewChannel ?? channel;
  const postDrift = o.postDrift;
  const driftChecks = drift.startDriftChecks({
    config,
    redis: o.redis,
    crew: o.crew,
    logger: o.logger,
    onError: onError('drift check'),
    ...(postDrift && driftChannel
      ? { post: (run: DriftRunResult, scheduled: boolean) => postDrift(driftChannel, run, scheduled) }
      : {}),
  });
  jobs.push(driftChecks);
  // The instance refreshes applies on AWS started: each plan's thread is told when its refresh ends.
  const regionClients = new Map<string, ReturnType<typeof aws.createAutoScalingClient>>();
  const clientOf = (region: string) => {
    let c = regionClients.get(region);
    if (!c) regionClients.set(region, (c = aws.createAutoScalingClient({ ...config.aws.client, region })));
    return c;
  };
  const followed = rollouts.followRollouts({
    watches: new RolloutWatchStore({ redis: o.redis }),
    bus: o.crew.bus,
    client: clientOf,
    logger: o.logger,
    intervalMs: config.rolloutPollMs,
  });
  jobs.push({
    stop: () => {
      followed.stop();
      for (const c of regionClients.values()) c.destroy();
    },
  });
  return {
    hooks: {
      schedule: (args, user) => finops.schedule(args.join(' '), user),
      digest: () => finops.digest(),
      drift: driftChecks.command,
      triageDrift: driftChecks.triage,
      rollout: (stack) =>
        readRollout.describeRollout(
          { stacks: o.crew.stacks, plans: o.crew.plans, region: config.aws.client.region, client: clientOf },
          stack,
        ),
      suggest: () => savings.suggestSavings(suggestDeps),
      planSuggestion: async ({ n, listAt, user, channel: where }) => {
        const r = await savings.planSuggestion(suggestDeps, {
          n,
          requestedBy: user,
          producer: 'slack',
          ops: o.crew.ops,
          ...(listAt ? { listAt } : {}),
          ...(where ? { channel: where } : {}),
        });
        return r.ok
          ? ok(
              `:memo: Plan \`${r.value.planId}\` submitted ("${r.value.suggestion.goal ?? ''}", ${r.value.suggestion.title}); the review follows in its thread`,
            )
          : r;
      },
    },
    close: () => jobs.forEach((j) => j.stop()),
  };
}
