import type { Redis } from 'ioredis';
import { driftChatCommand } from '../agents/forge/drift-chat-command.js';
import { runDriftChecks } from '../agents/forge/drift-run.js';
import { scheduleDrift } from '../agents/forge/drift-schedule.js';
import type { CrewConfig } from '../config/read-config.js';
import type { Logger } from '../log/create-logger.js';
import { buildDriftChecks } from './build-drift-checks.js';
import type { CrewRuntime } from './start-crew.js';

export interface DriftChecks {
  /** `/crew drift …` from chat. */
  command(args: string[], user: string): Promise<string>;
  stop(): void;
}

/** The drift checks of a long-running process: on CREW_DRIFT_CRON (default nightly) in CREW_TZ, and on demand. */
export function startDriftChecks(o: {
  config: Readonly<CrewConfig>;
  redis: Redis;
  crew: CrewRuntime;
  logger: Logger;
  onError: (err: unknown) => void;
}): DriftChecks {
  const checks = buildDriftChecks(o);
  const job = scheduleDrift({
    ...(o.config.drift.cron ? { cron: o.config.drift.cron } : {}),
    timezone: o.config.timezone,
    run: () => runDriftChecks(checks, 'schedule'),
    onError: o.onError,
  });
  return {
    command: (args, user) => driftChatCommand(checks, () => o.crew.access.current(), args, user),
    stop: () => job.stop(),
  };
}
