import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CrewError } from '../../errors.js';
import { isCrewAction } from './diff-schedule-actions.js';
import { readAsgState } from './read-asg-state.js';

const ASG_NAME = /^[A-Za-z0-9._-]{1,255}$/;

export function checkAsgName(asg: string | undefined): string {
  if (!asg || !ASG_NAME.test(asg))
    throw new CrewError(
      'CREW_ERR_BAD_INPUT',
      `"${(asg ?? '').slice(0, 80)}" is not an Auto Scaling group name (letters, digits, . _ -)`,
    );
  return asg;
}

export function checkTimeZone(tz: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    throw new CrewError(
      'CREW_ERR_BAD_INPUT',
      `"${tz.slice(0, 64)}" is not an IANA time zone (e.g. Europe/Paris, America/New_York)`,
    );
  }
  return tz;
}

/** The goal Atlas turns into an asg-schedule PlanSpec: the same words a person would type. */
export function weekendGoal(asg: string, tz: string): string {
  return `weekend schedule for asg ${checkAsgName(asg)} in ${checkTimeZone(tz)}`;
}

export function removeScheduleGoal(asg: string): string {
  return `drop the schedule on asg ${checkAsgName(asg)}`;
}

/** `crew schedule show`: the group's sizes and every scheduled action, the crew's marked. */
export async function describeSchedule(
  client: AutoScalingClient,
  asg: string,
): Promise<{ text: string; json: unknown }> {
  const state = await readAsgState(client, checkAsgName(asg));
  const lines = [
    `${state.asgName}: min ${state.minSize}, max ${state.maxSize}, desired ${state.desiredCapacity}; ${state.actions.length} scheduled action(s)`,
  ];
  for (const a of state.actions) {
    const sizes = `min ${a.minSize ?? '-'} max ${a.maxSize ?? '-'} desired ${a.desiredCapacity ?? '-'}`;
    const when = a.recurrence
      ? `"${a.recurrence}" in ${a.timeZone ?? 'UTC (no time zone set!)'}`
      : `once at ${a.startTime ?? '?'}`;
    lines.push(`  ${isCrewAction(a) ? '*' : ' '} ${a.name}: ${when}, ${sizes}`);
  }
  if (state.actions.some(isCrewAction)) lines.push('  (* managed by the crew)');
  return { text: lines.join('\n'), json: state };
}
