import type { PostMessage } from './pace-channel.js';
import { renderDriftRun } from '../agents/forge/drift-render-text.js';
import type { DriftRunResult } from '../store/drift-types.js';
import { renderCleanRun, renderDriftReport } from './render/render-drift-report.js';

/**
 * Posts a drift run to a channel: one message per stack that drifted or failed, each the root of
 * its own thread (where triage answers go), so one run gives one thread per stack. A run with
 * nothing to triage posts one line when `announceClean` (the scheduled run), else nothing.
 * `post`: chat.postMessage at the process's pace (SlackServer.post).
 */
export async function postDriftReports(
  post: PostMessage,
  channel: string,
  run: DriftRunResult,
  o: { announceClean?: boolean } = {},
): Promise<number> {
  const worth = run.stacks.filter((s) => s.status === 'drifted' || s.status === 'failed');
  if (worth.length === 0) {
    if (o.announceClean) await post({ channel, ...renderCleanRun(renderDriftRun(run.stacks).at(-1) ?? '') });
    return 0;
  }
  for (const r of worth) await post({ channel, ...renderDriftReport(r) });
  return worth.length;
}
