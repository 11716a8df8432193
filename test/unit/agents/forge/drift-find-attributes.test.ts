import { describe, expect, it } from 'vitest';
import { findDrift, findRefreshDrift } from '../../../../src/agents/forge/drift-find-attributes.js';
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

  it('without a schedule capacity changes are drift; what the group computes never is', () => {
    const r = splitScheduleOwned([asg('desired_capacity', 0), asg('predicted_capacity', 1, 0)], awsSpec(), new Date());
    expect(r.drift).toEqual([asg('desired_capacity', 0)]);
    expect(r.owned).toEqual([{ ...asg('predicted_capacity', 1, 0), ownedBy: 'the Auto Scaling group itself' }]);
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
