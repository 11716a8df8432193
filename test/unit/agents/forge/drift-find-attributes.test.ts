import { describe, expect, it } from 'vitest';
import { findDrift, findRefreshDrift, sameValue } from '../../../../src/agents/forge/drift-find-attributes.js';
import { splitStackOwned } from '../../../../src/agents/forge/drift-owned-by-stack.js';
import { renderDriftValue } from '../../../../src/agents/forge/drift-render-text.js';
import { splitScheduleOwned } from '../../../../src/agents/forge/drift-schedule-owned.js';
import { awsSpec } from '../../../support/forge-specs.js';

// The shape of `terraform show -json` for a refresh-only plan against the AWS provider.
function refreshPlan(drift: Array<{ address: string; before: unknown; after: unknown }>) {
  return {
    format_version: '1.2',
    resource_drift: drift.map((d) => ({
      address: d.address,
      type: d.address.split('.')[0],
      change: { actions: [d.after === null ? 'delete' : 'update'], before: d.before, after: d.after },
    })),
  };
}

describe('findRefreshDrift', () => {
  it('lists each top-level attribute the refresh found changed, expected (state) → actual', () => {
    const plan = refreshPlan([
      {
        address: 'aws_autoscaling_group.ollama',
        before: { name: 'g', max_size: 2, desired_capacity: 2, tag: [{ key: 'a', value: '1' }] },
        after: { name: 'g', max_size: 4, desired_capacity: 2, tag: [{ key: 'a', value: '2' }] },
      },
      { address: 'aws_vpc.main', before: { cidr_block: '10.0.0.0/16' }, after: null },
    ]);
    expect(findRefreshDrift(plan)).toEqual([
      { address: 'aws_autoscaling_group.ollama', attribute: 'max_size', expected: 2, actual: 4 },
      {
        address: 'aws_autoscaling_group.ollama',
        attribute: 'tag',
        expected: [{ key: 'a', value: '1' }],
        actual: [{ key: 'a', value: '2' }],
      },
      { address: 'aws_vpc.main', attribute: '(resource)', expected: 'exists', actual: 'deleted' },
    ]);
  });

  it('an unset list the apply left null and the refresh reads as [] is no drift, at any depth', () => {
    // What the real provider does after an apply: null in the state, [] when read back.
    const plan = refreshPlan([
      {
        address: 'module.ollama.aws_autoscaling_group.ollama',
        before: {
          max_size: 2,
          suspended_processes: null,
          tags: null,
          nic: [{ ipv4_addresses: null, groups: ['sg-1'] }],
        },
        after: { max_size: 2, suspended_processes: [], tags: {}, nic: [{ ipv4_addresses: [], groups: ['sg-1'] }] },
      },
      {
        address: 'module.ollama.aws_launch_template.ollama',
        before: { vpc_security_group_ids: null, nic: [{ groups: ['sg-1'] }] },
        after: { vpc_security_group_ids: ['sg-2'], nic: [{ groups: [] }] },
      },
    ]);
    expect(findRefreshDrift(plan).map((d) => d.attribute)).toEqual(['nic', 'vpc_security_group_ids']);
    expect(sameValue({ a: [null] }, { a: [[]] })).toBe(true);
    expect(sameValue({ a: [] }, { a: [''] })).toBe(false);
    expect(sameValue(0, null)).toBe(false);
  });

  it('finds nothing in a plan without resource_drift or in garbage', () => {
    expect(findRefreshDrift({ format_version: '1.2' })).toEqual([]);
    expect(findRefreshDrift('nope')).toEqual([]);
    expect(findDrift({ resource_drift: [{ address: 1 }] }, undefined)).toEqual([]);
  });

  it('compares with the approved plan only where it knew the value', () => {
    const approved = {
      planned_values: {
        root_module: {
          resources: [{ address: 'aws_vpc.main', mode: 'managed', values: { cidr_block: '10.0.0.0/16', id: null } }],
        },
      },
      resource_changes: [{ address: 'aws_vpc.main', change: { after_unknown: { id: true, tags: [false] } } }],
    };
    const refreshed = {
      prior_state: {
        values: {
          root_module: {
            resources: [
              {
                address: 'aws_vpc.main',
                mode: 'managed',
                values: { cidr_block: '10.9.0.0/16', id: 'vpc-1', extra: 1 },
              },
            ],
          },
        },
      },
    };
    expect(findDrift(refreshed, approved)).toEqual([
      { address: 'aws_vpc.main', attribute: 'cidr_block', expected: '10.0.0.0/16', actual: '10.9.0.0/16' },
    ]);
  });
});

describe('splitScheduleOwned', () => {
  const spec = awsSpec({
    minSize: 1,
    maxSize: 3,
    desiredCapacity: 2,
    schedule: { stop: { day: 'FRI', time: '22:00' }, start: { day: 'MON', time: '07:00' }, timezone: 'Europe/Berlin' },
  });
  const asg = (attribute: string, actual: unknown, expected: unknown = 2) => ({
    address: 'aws_autoscaling_group.ollama',
    attribute,
    expected,
    actual,
  });

  it('inside the off window the stop action owns zero capacity; other sizes are drift', () => {
    const saturday = new Date('2026-12-05T12:00:00Z');
    const r = splitScheduleOwned(
      [asg('desired_capacity', 0), asg('max_size', 5, 3), asg('min_size', 0, 1)],
      spec,
      saturday,
    );
    expect(r.drift).toEqual([asg('max_size', 5, 3)]);
    expect(r.owned.map((o) => o.attribute)).toEqual(['desired_capacity', 'min_size']);
    expect(r.owned[0]?.ownedBy).toBe(
      'the stop action of the weekly schedule (off FRI 22:00 → MON 07:00 Europe/Berlin; now inside the off window)',
    );
  });

  it('outside the window the start action owns the spec sizes; zero on a Wednesday is drift', () => {
    const wednesday = new Date('2026-12-02T12:00:00Z');
    const r = splitScheduleOwned([asg('desired_capacity', 2, 0), asg('max_size', 0, 3)], spec, wednesday);
    expect(r.owned.map((o) => o.attribute)).toEqual(['desired_capacity']);
    expect(r.drift).toEqual([asg('max_size', 0, 3)]);
  });

  it("a scheduled action's start time is its next run, which AWS moves on after each run: not drift", () => {
    const stop = {
      address: 'module.ollama.aws_autoscaling_schedule.stop[0]',
      attribute: 'start_time',
      expected: '2026-12-04T22:00:00Z',
      actual: '2026-12-11T22:00:00Z',
    };
    const r = splitScheduleOwned([stop, { ...stop, attribute: 'max_size', expected: 0, actual: 3 }], spec, new Date());
    expect(r.owned.map((o) => [o.attribute, o.ownedBy])).toEqual([
      [
        'start_time',
        "the weekly schedule: AWS keeps a recurring action's next run as its start time and moves it on after each run (off FRI 22:00 → MON 07:00 Europe/Berlin)",
      ],
    ]);
    expect(r.drift.map((d) => d.attribute)).toEqual(['max_size']);
  });

  it('without a schedule capacity changes are drift; what the group computes never is', () => {
    // No schedule (the shared spec has one: with it, a weekend's clock made zero capacity the stop action's).
    const r = splitScheduleOwned(
      [asg('desired_capacity', 0), asg('predicted_capacity', 1, 0)],
      awsSpec({ schedule: undefined }),
      new Date(),
    );
    expect(r.drift).toEqual([asg('desired_capacity', 0)]);
    expect(r.owned).toEqual([{ ...asg('predicted_capacity', 1, 0), ownedBy: 'the Auto Scaling group itself' }]);
  });
});

describe('splitStackOwned', () => {
  const ROLE = 'module.ollama.aws_iam_role.flow';
  const policy = (name: string, doc = '{}') => ({ name, policy: doc });
  // The refreshed state: the role, and the inline policy the stack's aws_iam_role_policy puts on it.
  const plan = (policies: Array<{ address: string; role: string; name: string }>) => ({
    prior_state: {
      values: {
        root_module: {
          child_modules: [
            {
              resources: [
                { address: ROLE, type: 'aws_iam_role', values: { name: 'dev-flow', id: 'dev-flow' } },
                ...policies.map((p) => ({
                  address: p.address,
                  type: 'aws_iam_role_policy',
                  values: { role: p.role, name: p.name },
                })),
              ],
            },
          ],
        },
      },
    },
  });
  const flow = { address: 'module.ollama.aws_iam_role_policy.flow', role: 'dev-flow', name: 'vpc-flow-logs' };
  const item = (expected: unknown, actual: unknown) => ({
    address: ROLE,
    attribute: 'inline_policy',
    expected,
    actual,
  });

  it("a role's inline policy that the stack's aws_iam_role_policy puts there is that resource's, not the role's drift", () => {
    const r = splitStackOwned([item([], [policy('vpc-flow-logs')])], plan([flow]));
    expect(r.drift).toEqual([]);
    expect(r.owned).toEqual([
      { ...item([], [policy('vpc-flow-logs')]), ownedBy: "the stack's module.ollama.aws_iam_role_policy.flow" },
    ]);
  });

  it('an inline policy put on the role out of band is drift; so is every inline policy of a role no resource attaches to', () => {
    const extra = item([], [policy('vpc-flow-logs'), policy('admin', '{"Action":"*"}')]);
    expect(splitStackOwned([extra], plan([flow])).drift).toEqual([extra]);
    const elsewhere = { ...flow, role: 'other-role' };
    const lone = item([], [policy('vpc-flow-logs')]);
    expect(splitStackOwned([lone], plan([elsewhere])).drift).toEqual([lone]);
    const other = { address: 'aws_security_group.x', attribute: 'inline_policy', expected: [], actual: [1] };
    expect(splitStackOwned([other], plan([flow])).drift).toEqual([other]);
  });
});

describe('renderDriftValue', () => {
  it('shows a remote value as inert JSON text: quoted, control and bidi characters escaped, cut', () => {
    expect(renderDriftValue('$(rm -rf /)\n\u001b[31m\u202e')).toBe('"$(rm -rf /)\\n\\u001b[31m\\u202e"');
    expect(renderDriftValue('```*x*```')).toBe('"\\u0060\\u0060\\u0060*x*\\u0060\\u0060\\u0060"');
    expect(renderDriftValue(undefined)).toBe('null');
    expect(renderDriftValue('x'.repeat(500))).toHaveLength(200);
  });
});
