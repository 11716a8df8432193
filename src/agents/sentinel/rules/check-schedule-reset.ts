import type { Finding } from '../../../../contracts/index.js';
import { isScheduledOff } from '../../forge/is-scheduled-off.js';
import { toNumber } from '../plan/lookup-value.js';
import { isStart, isStop, schedulesByAsg, type ScheduleView } from './link-schedules.js';
import { finding, type Rule, type RuleInfo } from './rule-types.js';

export const SCHEDULE_RESET: RuleInfo = {
  id: 'CREW_SCHEDULE_RESET',
  title: 'An apply inside the off window does not start what the schedule stopped',
  severity: 'MEDIUM',
};

const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;
type Day = (typeof DAYS)[number];

/** `0 22 * * 5` or `0 22 * * FRI` (one weekly time) → FRI 22:00; undefined for any other cron. */
function weeklyAt(recurrence: string | undefined): { day: Day; time: string } | undefined {
  const m = /^(\d{1,2}) (\d{1,2}) \* \* ([0-6]|[A-Za-z]{3})$/.exec(recurrence?.trim() ?? '');
  if (!m) return undefined;
  const [minute, hour] = [Number(m[1]), Number(m[2])];
  const day = /^\d$/.test(m[3]!) ? DAYS[Number(m[3])] : DAYS.find((d) => d === m[3]!.toUpperCase());
  if (!day || minute > 59 || hour > 23) return undefined;
  return { day, time: `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}` };
}

function window(stop: ScheduleView, start: ScheduleView) {
  const s = weeklyAt(stop.recurrence);
  const e = weeklyAt(start.recurrence);
  if (!s || !e || !stop.timeZone || stop.timeZone !== start.timeZone) return undefined;
  return { stop: s, start: e, timezone: stop.timeZone };
}

/**
 * The weekly schedule scaled the group to zero; a plan that sets its desired capacity back
 * above zero, applied inside the off window, starts instances until the next scheduled start.
 */
export const scheduleResetRule: Rule = {
  infos: [SCHEDULE_RESET],
  run(ctx) {
    const out: Finding[] = [];
    for (const [asgAddress, group] of schedulesByAsg(ctx, 'after')) {
      const stop = group.find(isStop);
      const start = group.find(isStart);
      const change = ctx.index.byAddress.get(asgAddress);
      if (!stop || !start || !change || (change.kind !== 'update' && change.kind !== 'create')) continue;
      const w = window(stop, start);
      if (!w || !isScheduledOff(w, ctx.now)) continue;
      const planned = toNumber(change.after?.desired_capacity);
      const live = change.before ? toNumber(change.before.desired_capacity) : null;
      if (planned === null || planned <= (stop.desired ?? 0) || planned === live) continue;
      const span = `${w.stop.day} ${w.stop.time} → ${w.start.day} ${w.start.time} ${w.timezone}`;
      out.push(
        finding(
          SCHEDULE_RESET,
          asgAddress,
          `applying now, inside the schedule's off window (${span}), sets desired_capacity ${live ?? 'unset'} → ${planned}: it starts ${planned} instance(s) the stop action keeps at ${stop.desired ?? 0} until ${w.start.day} ${w.start.time}; apply after the window, or plan again inside it (Forge then leaves the live size to the schedule)`,
        ),
      );
    }
    return out;
  },
};
