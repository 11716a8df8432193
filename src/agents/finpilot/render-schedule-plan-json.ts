import type { ActionRow } from './diff-schedule-actions.js';
import type { ScheduledActionState } from './read-asg-state.js';

const PROVIDER = 'registry.terraform.io/hashicorp/aws';

/** Terraform's attribute names; -1 is Terraform's "unchanged" for an omitted size. */
function attributes(asgName: string, a: ScheduledActionState): Record<string, unknown> {
  return {
    autoscaling_group_name: asgName,
    scheduled_action_name: a.name,
    recurrence: a.recurrence ?? '',
    time_zone: a.timeZone ?? '',
    min_size: a.minSize ?? -1,
    max_size: a.maxSize ?? -1,
    desired_capacity: a.desiredCapacity ?? -1,
    ...(a.startTime ? { start_time: a.startTime } : {}),
    ...(a.endTime ? { end_time: a.endTime } : {}),
  };
}

function resourceName(actionName: string): string {
  const n = actionName.replace(/[^A-Za-z0-9_-]/g, '_').replace(/-/g, '_');
  return /^[A-Za-z_]/.test(n) ? n : `_${n}`;
}

/**
 * The schedule diff as Terraform plan JSON 1.x, so Sentinel's schedule rules and cost
 * read it exactly as they read an `aws_autoscaling_schedule` from a Terraform plan.
 */
export function renderSchedulePlanJson(
  asgName: string,
  region: string,
  rows: readonly ActionRow[],
): Record<string, unknown> {
  const resourceChanges = rows.map((r) => {
    const name = resourceName(r.name);
    return {
      address: `aws_autoscaling_schedule.${name}`,
      mode: 'managed',
      type: 'aws_autoscaling_schedule',
      name,
      provider_name: PROVIDER,
      change: {
        actions: [r.action],
        before: r.before ? attributes(asgName, r.before) : null,
        after: r.after ? attributes(asgName, r.after) : null,
        after_unknown: {},
        before_sensitive: r.before ? {} : false,
        after_sensitive: r.after ? {} : false,
      },
    };
  });
  const resources = (pick: (r: ActionRow) => ScheduledActionState | null) =>
    rows.flatMap((r) => {
      const values = pick(r);
      if (!values) return [];
      const name = resourceName(r.name);
      return [
        {
          address: `aws_autoscaling_schedule.${name}`,
          mode: 'managed',
          type: 'aws_autoscaling_schedule',
          name,
          provider_name: PROVIDER,
          values: attributes(asgName, values),
        },
      ];
    });
  return {
    format_version: '1.2',
    planned_values: { root_module: { resources: resources((r) => r.after) } },
    prior_state: { format_version: '1.0', values: { root_module: { resources: resources((r) => r.before) } } },
    resource_changes: resourceChanges,
    configuration: {
      provider_config: {
        aws: { name: 'aws', full_name: PROVIDER, expressions: { region: { constant_value: region } } },
      },
    },
  };
}
