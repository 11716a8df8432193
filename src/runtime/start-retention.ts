import { Cron } from 'croner';
import type { Redis } from 'ioredis';
import type { Logger } from '../log/create-logger.js';
import { runRetention, type RetentionResult } from '../store/run-retention.js';

/** Every hour, at minute 17 (off the hour, away from other jobs). */
export const RETENTION_CRON = '17 * * * *';

export interface RetentionJob {
  /** Runs one pass now (also what the schedule runs); passes never overlap. */
  runNow(): Promise<RetentionResult | undefined>;
  /** Stops the schedule and waits for a pass under way. */
  stop(): Promise<void>;
}

/**
 * Retention for a long-running crew process: one pass at start, then on RETENTION_CRON.
 * Several processes may run it: every step is idempotent.
 */
export function startRetention(o: {
  redis: Redis;
  logger: Logger;
  prefix?: string;
  streamRetentionMs: number;
  planRetentionMs: number;
  cron?: string;
}): RetentionJob {
  let running: Promise<RetentionResult | undefined> | undefined;
  const runNow = () => {
    running ??= runRetention(o)
      .then(
        (r) => {
          if (r.trimmedEntries + r.expiredPlans > 0)
            o.logger.info(r, 'retention: old stream entries and ended plans removed');
          return r;
        },
        (err: unknown) => {
          o.logger.warn({ err }, 'retention pass failed; it runs again on schedule');
          return undefined;
        },
      )
      .finally(() => (running = undefined));
    return running;
  };
  const job = new Cron(o.cron ?? RETENTION_CRON, { name: 'crew-retention', protect: true }, () => void runNow());
  void runNow();
  return {
    runNow,
    stop: async () => {
      job.stop();
      await running;
    },
  };
}
