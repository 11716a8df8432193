import { Cron } from 'croner';

/** Nightly at 03:00 in CREW_TZ, when few plans run. */
export const DEFAULT_DRIFT_CRON = '0 3 * * *';

export interface ScheduleDriftOptions {
  cron?: string;
  /** IANA zone the cron is read in (CREW_TZ). */
  timezone: string;
  run: () => Promise<unknown>;
  onError?: (err: unknown) => void;
}

/** Runs the drift checks on a cron; `protect` keeps a slow run from overlapping the next. */
export function scheduleDrift(o: ScheduleDriftOptions): Cron {
  return new Cron(
    o.cron ?? DEFAULT_DRIFT_CRON,
    { timezone: o.timezone, name: 'crew-drift-check', protect: true },
    async () => {
      await o.run().catch((err: unknown) => o.onError?.(err));
    },
  );
}
