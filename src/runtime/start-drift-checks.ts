import type { Redis } from 'ioredis';
import { driftChatCommand } from '../agents/forge/drift-chat-command.js';
import { triageDriftFromChat, type DriftClick } from '../agents/forge/drift-chat-triage.js';
import { runDriftChecks } from '../agents/forge/drift-run.js';
import { scheduleDrift } from '../agents/forge/drift-schedule.js';
import type { CrewConfig } from '../config/read-config.js';
import type { Result } from '../errors.js';
import type { Logger } from '../log/create-logger.js';
import type { DriftRunResult } from '../store/drift-types.js';
import { buildDriftChecks } from './build-drift-checks.js';
import type { CrewRuntime } from './start-crew.js';

/** Posts a drift run's reports (one thread per stack) to a chat surface; `scheduled`: a clean run says so too. */
export type PostDriftRun = (run: DriftRunResult, scheduled: boolean) => Promise<void>;

export interface DriftChecks {
  /** `/crew drift …` from chat. */
  command(args: string[], user: string): Promise<string>;
  /** Revert, Adopt or Snooze on a drift report. */
  triage(click: DriftClick): Promise<Result<string>>;
  stop(): void;
}

/** The drift checks of a long-running process: on CREW_DRIFT_CRON (default nightly) in CREW_TZ, and on demand. */
export function startDriftChecks(o: {
  config: Readonly<CrewConfig>;
  redis: Redis;
  crew: CrewRuntime;
  logger: Logger;
  onError: (err: unknown) => void;
  /** Where reports go (the review channel in `crew serve`); absent: runs are reported only to who asked. */
  post?: PostDriftRun;
}): DriftChecks {
  const checks = buildDriftChecks(o);
  const post = o.post;
  const job = scheduleDrift({
    ...(o.config.drift.cron ? { cron: o.config.drift.cron } : {}),
    timezone: o.config.timezone,
    run: async () => {
      const r = await runDriftChecks(checks, 'schedule');
      if (r.ok && post) await post(r.run, true);
      return r;
    },
    onError: o.onError,
  });
  const access = () => o.crew.access.current();
  return {
    command: (args, user) =>
      driftChatCommand(checks, access, args, user, post ? (run) => post(run, false).catch(o.onError) : undefined),
    triage: (click) => triageDriftFromChat(checks, access, o.crew.ops, click),
    stop: () => job.stop(),
  };
}
