import type { Redis } from 'ioredis';
import type { CrewConfig } from '../config/read-config.js';
import type { Logger } from '../log/create-logger.js';
import type { FinOpsHooks } from './finops-hooks.js';
import type { CrewRuntime } from './start-crew.js';

export interface FinopsJobs {
  hooks: FinOpsHooks;
  close(): void;
}

export interface StartFinopsOptions {
  config: Readonly<CrewConfig>;
  redis: Redis;
  crew: CrewRuntime;
  logger: Logger;
  env?: NodeJS.ProcessEnv;
  /** Posts the scheduled digest (text + chart); absent: no scheduled digest. */
  post?: (text: string, png: Buffer) => Promise<void>;
}

/**
 * FinPilot for a long-running process: `/crew schedule` and `/crew digest`, the weekly digest
 * on a cron in CREW_TZ, and Spot price refreshes when AWS credentials are configured.
 */
export async function startFinops(o: StartFinopsOptions): Promise<FinopsJobs> {
  const env = o.env ?? process.env;
  const [aws, slackDeps, digest, spot] = await Promise.all([
    import('../agents/finpilot/aws-clients.js'),
    import('../agents/finpilot/finops-slack-deps.js'),
    import('../agents/finpilot/schedule-digest.js'),
    import('../agents/finpilot/spot-prices.js'),
  ]);
  const awsOptions = aws.readAwsOptions(env, o.config.region);
  const autoScaling = aws.createAutoScalingClient(awsOptions);
  const deps = { redis: o.redis, stacks: o.crew.stacks, region: o.config.region, budgetUsd: o.config.budgetUsd ?? null, brakeRatio: o.config.brakeRatio };
  const finops = slackDeps.finopsSlackDeps({ ops: o.crew.ops, digest: deps, timezone: o.config.timezone, autoScaling });
  const onError = (what: string) => (err: unknown) => o.logger.warn({ err }, `${what} failed`);
  const jobs: Array<{ stop(): void }> = [];
  if (o.post) jobs.push(digest.scheduleDigest({ deps, timezone: o.config.timezone, ...(env.CREW_DIGEST_CRON ? { cron: env.CREW_DIGEST_CRON } : {}), post: o.post, onError: onError('cost digest') }));
  const hasCredentials = Boolean(env.AWS_ACCESS_KEY_ID || env.CREW_AWS_ACCESS_KEY_ID || env.AWS_PROFILE);
  if (hasCredentials) {
    jobs.push(spot.scheduleSpotRefresh({ redis: o.redis, ec2: aws.createEc2Client(awsOptions), region: o.config.region, instanceTypes: o.config.instanceTypes, onError: onError('spot price refresh') }));
  }
  return {
    hooks: { schedule: (args, user) => finops.schedule(args.join(' '), user), digest: () => finops.digest() },
    close: () => jobs.forEach((j) => j.stop()),
  };
}
