import type { Finding } from '../../../../contracts/index.js';
import { configExpressions, configOf, isChanging, ofType } from '../plan/index-plan.js';
import { toNumber } from '../plan/lookup-value.js';
import { isStart, isStop, schedulesByAsg } from './link-schedules.js';
import { finding, type Rule, type RuleContext, type RuleInfo } from './rule-types.js';

export const SCHEDULE_TZ: RuleInfo = {
  id: 'CREW_SCHEDULE_TZ',
  title: 'Scheduled actions set a time zone',
  severity: 'MEDIUM',
};
export const SCHEDULE_PAIRED: RuleInfo = {
  id: 'CREW_SCHEDULE_PAIRED',
  title: 'Every scale-to-zero schedule has a paired start',
  severity: 'MEDIUM',
};
export const SCHEDULE_START_TIME: RuleInfo = {
  id: 'CREW_SCHEDULE_START_TIME',
  title: 'No hard-coded start_time in the past',
  severity: 'MEDIUM',
};
export const SCHEDULE_SIZES: RuleInfo = {
  id: 'CREW_SCHEDULE_SIZES',
  title: 'Scheduled actions set every size explicitly',
  severity: 'MEDIUM',
};
export const SCHEDULE_DRIFT: RuleInfo = {
  id: 'CREW_SCHEDULE_DRIFT',
  title: 'Plans do not undo scheduled scaling',
  severity: 'MEDIUM',
};

const SIZES = ['min_size', 'max_size', 'desired_capacity'] as const;

function checkOne(ctx: RuleContext, out: Finding[], r: (typeof ctx.index.managed)[number]): void {
  const after = r.after ?? {};
  const recurrence = typeof after.recurrence === 'string' ? after.recurrence : '';
  if (recurrence !== '' && !(typeof after.time_zone === 'string' && after.time_zone !== '')) {
    out.push(
      finding(
        SCHEDULE_TZ,
        r.address,
        `recurrence "${recurrence}" runs in UTC because time_zone is not set (22:00 in New York is already Saturday in UTC): set time_zone to the team's IANA zone, e.g. "Europe/Paris"`,
      ),
    );
  }
  const hasConfig = configOf(ctx.index, r) !== undefined;
  const startConst = configExpressions(ctx.index, r, 'start_time')[0]?.constantValue;
  const start = hasConfig ? startConst : r.kind === 'create' ? after.start_time : undefined;
  if (typeof start === 'string' && start !== '' && Date.parse(start) < ctx.now.getTime()) {
    out.push(
      finding(
        SCHEDULE_START_TIME,
        r.address,
        `start_time ${start} is in the past, which AWS rejects at apply: remove start_time and let recurrence drive the action`,
      ),
    );
  }
  const missing = hasConfig
    ? SIZES.filter((s) => configExpressions(ctx.index, r, s).length === 0)
    : SIZES.filter((s) => toNumber(after[s]) === null);
  if (missing.length > 0) {
    out.push(
      finding(
        SCHEDULE_SIZES,
        r.address,
        `${missing.join(', ')} not set: Terraform sends 0 for an omitted size, which can pin the group at 0; set each size explicitly (-1 keeps the current value)`,
      ),
    );
  }
  const desired = toNumber(after.desired_capacity);
  const max = toNumber(after.max_size);
  if (desired !== null && max !== null && max >= 0 && desired > max) {
    out.push(
      finding(
        SCHEDULE_SIZES,
        r.address,
        `desired_capacity ${desired} is above max_size ${max}: the action fails or is capped; raise max_size to at least ${desired}`,
      ),
    );
  }
}

export const schedulesRule: Rule = {
  infos: [SCHEDULE_TZ, SCHEDULE_PAIRED, SCHEDULE_START_TIME, SCHEDULE_SIZES],
  run(ctx) {
    const out: Finding[] = [];
    const schedules = ofType(ctx.index, 'aws_autoscaling_schedule');
    for (const r of schedules) if (isChanging(r)) checkOne(ctx, out, r);
    if (!schedules.some((r) => r.kind !== 'no-op' && r.kind !== 'read')) return out;
    for (const [asg, group] of schedulesByAsg(ctx, 'after')) {
      if (group.some(isStart)) continue;
      // A group this plan stops (desired 0, "stop x"): its schedule keeps it stopped, as asked,
      // until a plan scales it up again; there is nothing for a start to bring back.
      if (toNumber(ctx.index.byAddress.get(asg)?.after?.desired_capacity) === 0) continue;
      for (const stop of group.filter(isStop)) {
        out.push(
          finding(
            SCHEDULE_PAIRED,
            stop.resource.address,
            `scales ${asg.replace(/^name:/, '')} to zero but no schedule starts it again: add a start action (e.g. Monday 07:00, desired_capacity > 0) in the same time_zone`,
          ),
        );
      }
    }
    return out;
  },
};

/** Drift in desired_capacity that this plan would revert: the classic "plan scales it back up off-hours". */
export const scheduleDriftRule: Rule = {
  infos: [SCHEDULE_DRIFT],
  run(ctx: RuleContext) {
    const out: Finding[] = [];
    for (const d of ctx.index.plan.drift) {
      if (d.type !== 'aws_autoscaling_group' || !d.before || !d.after) continue;
      const was = toNumber(d.before.desired_capacity);
      const now = toNumber(d.after.desired_capacity);
      const change = ctx.index.byAddress.get(d.address);
      const planned = toNumber(change?.after?.desired_capacity);
      if (
        was === null ||
        now === null ||
        was === now ||
        !change ||
        change.kind !== 'update' ||
        planned === null ||
        planned === now
      )
        continue;
      out.push(
        finding(
          SCHEDULE_DRIFT,
          d.address,
          `desired_capacity was changed outside Terraform from ${was} to ${now} (a scheduled action?) and this plan sets it back to ${planned}: add lifecycle { ignore_changes = [desired_capacity] } to the group`,
        ),
      );
    }
    return out;
  },
};
