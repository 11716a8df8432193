import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import type { GoalStatement } from '../../../contracts/index.js';
import { buildDigestReport, defaultDigestPeriod, type DigestDeps } from './build-digest.js';
import { renderDigestPng } from './render-digest-png.js';
import { digestFooter, renderDigestText } from './render-digest-text.js';
import { describeSchedule, removeScheduleGoal, weekendGoal } from './schedule-goal.js';
import { errorMessage, type Result } from '../../errors.js';

export interface FinopsSlackOptions {
  /** `crew.ops` from the composition root. */
  ops: { submitGoal(goal: GoalStatement, producer: string): Promise<Result<{ id: string }>> };
  digest: DigestDeps;
  /** Default zone for `weekend` without one (CREW_TZ). */
  timezone: string;
  /** For `show`; absent, `show` explains that AWS is not configured. */
  autoScaling?: AutoScalingClient;
  channel?: string;
}

export interface FinopsSlackDeps {
  /** `/crew schedule weekend <asg> [tz] | off <asg> | show <asg>`: a reply line for the user. */
  schedule(args: string, user: string): Promise<string>;
  digest(): Promise<{ text: string; png?: Buffer }>;
}

const USAGE = 'usage: /crew schedule weekend <asg> [time zone] | off <asg> | show <asg>';

/** What the Slack surface needs from FinPilot; weekend/off go through the normal plan pipeline. */
export function finopsSlackDeps(o: FinopsSlackOptions): FinopsSlackDeps {
  const submit = async (text: string, user: string) => {
    const r = await o.ops.submitGoal(
      { text, requestedBy: user, target: 'aws', ...(o.channel ? { channel: o.channel } : {}) },
      'slack',
    );
    return r.ok
      ? `plan ${r.value.id} submitted ("${text}"); the review follows in its thread`
      : `refused: ${r.refusal}`;
  };
  return {
    async schedule(args, user) {
      const [verb, asg, tz] = args.trim().split(/\s+/);
      try {
        if (verb === 'weekend' && asg) return await submit(weekendGoal(asg, tz ?? o.timezone), user);
        if (verb === 'off' && asg) return await submit(removeScheduleGoal(asg), user);
        if (verb === 'show' && asg) {
          if (!o.autoScaling)
            return 'AWS is not configured here (CREW_REGION and credentials), so the schedule cannot be read';
          return (await describeSchedule(o.autoScaling, asg)).text;
        }
      } catch (err) {
        return `error: ${errorMessage(err)}`;
      }
      return USAGE;
    },
    async digest() {
      const report = await buildDigestReport(o.digest, await defaultDigestPeriod(o.digest));
      return {
        text: renderDigestText(report.digest, report),
        png: renderDigestPng(report.digest, report.budget.brakeRatio, digestFooter(report)),
      };
    },
  };
}
