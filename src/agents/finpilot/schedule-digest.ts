import { Cron } from 'croner';
import { buildDigestReport, defaultDigestPeriod, markDigestSent, type DigestDeps } from './build-digest.js';
import { renderDigestPng } from './render-digest-png.js';
import { digestFooter, renderDigestText } from './render-digest-text.js';

export const DEFAULT_DIGEST_CRON = '0 9 * * 1';

export interface ScheduleDigestOptions {
  deps: DigestDeps;
  /** Default Monday 09:00. */
  cron?: string;
  /** IANA zone the cron is read in (CREW_TZ); croner follows its DST changes. */
  timezone: string;
  post: (text: string, png: Buffer) => Promise<void>;
  onError?: (err: unknown) => void;
}

/** When the digest runs next after `from`. */
export function nextDigestRun(o: { cron?: string; timezone: string }, from: Date = new Date()): Date | null {
  return new Cron(o.cron ?? DEFAULT_DIGEST_CRON, { timezone: o.timezone, paused: true }).nextRun(from);
}

/** Builds, renders and posts one digest covering the time since the last one, then marks it sent. */
export async function postDigest(o: Pick<ScheduleDigestOptions, 'deps' | 'post'>): Promise<void> {
  const period = await defaultDigestPeriod(o.deps);
  const report = await buildDigestReport(o.deps, period);
  await o.post(
    renderDigestText(report.digest, report),
    renderDigestPng(report.digest, report.budget.brakeRatio, digestFooter(report)),
  );
  await markDigestSent(o.deps, period.to);
}

/** Posts the digest on a cron in the team's time zone; `stop()` on the returned job ends it. */
export function scheduleDigest(o: ScheduleDigestOptions): Cron {
  // protect: a slow post never overlaps the next run.
  return new Cron(
    o.cron ?? DEFAULT_DIGEST_CRON,
    { timezone: o.timezone, name: 'crew-cost-digest', protect: true },
    () => postDigest(o).catch((err: unknown) => o.onError?.(err)),
  );
}
