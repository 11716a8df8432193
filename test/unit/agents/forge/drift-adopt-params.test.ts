import { describe, expect, it } from 'vitest';
import { mapDriftToParams, resourceType } from '../../../../src/agents/forge/drift-adopt-params.js';
import { currentSpecs } from '../atlas/atlas-fixtures.js';

const prod = currentSpecs['ollama-prod']!;
const k3s = currentSpecs['k3s-lab']!;

const policy = (types: string[], base: number, strategy = 'price-capacity-optimized') => [
  {
    instances_distribution: [{ on_demand_base_capacity: base, spot_allocation_strategy: strategy }],
    launch_template: [
      {
        launch_template_specification: [{ version: '1' }],
        override: types.map((t) => ({ instance_type: t, weighted_capacity: null })),
      },
    ],
  },
];

describe('mapDriftToParams (what Adopt can write into a spec)', () => {
  it('maps the group sizes to the spec sizes', () => {
    const m = mapDriftToParams(prod, [
      { address: 'aws_autoscaling_group.ollama', attribute: 'desired_capacity', expected: 2, actual: 3 },
      { address: 'module.ollama.aws_autoscaling_group.ollama', attribute: 'max_size', expected: 4, actual: 6 },
    ]);
    expect(m.set).toEqual({ desiredCapacity: 3, maxSize: 6 });
    expect(m.adopted.map((a) => [a.param, a.from, a.to])).toEqual([
      ['desiredCapacity', 2, 3],
      ['maxSize', 4, 6],
    ]);
    expect(m.notAdopted).toEqual([]);
  });

  it('maps the instance types and the on-demand base inside mixed_instances_policy, nothing else in it', () => {
    const m = mapDriftToParams(prod, [
      {
        address: 'aws_autoscaling_group.ollama',
        attribute: 'mixed_instances_policy',
        expected: policy(['g5.xlarge'], 1),
        actual: policy(['g5.2xlarge'], 0),
      },
    ]);
    expect(m.set).toEqual({ instanceTypes: ['g5.2xlarge'], onDemandBase: 0 });
    const other = mapDriftToParams(prod, [
      {
        address: 'aws_autoscaling_group.ollama',
        attribute: 'mixed_instances_policy',
        expected: policy(['g5.xlarge'], 1),
        actual: policy(['g5.2xlarge'], 1, 'lowest-price'),
      },
    ]);
    expect(other.set).toEqual({});
    expect(other.notAdopted[0]?.why).toContain('only the instance types and the on-demand base');
  });

  it('maps the root volume size of the launch template', () => {
    const bdm = (size: number) => [{ device_name: '/dev/sda1', ebs: [{ volume_size: size, encrypted: 'true' }] }];
    const m = mapDriftToParams(prod, [
      {
        address: 'aws_launch_template.ollama',
        attribute: 'block_device_mappings',
        expected: bdm(200),
        actual: bdm(300),
      },
    ]);
    expect(m.set).toEqual({ volumeGb: 300 });
  });

  it('explains what no param maps to, a deleted resource, and a value that is not a valid param', () => {
    const m = mapDriftToParams(prod, [
      { address: 'aws_security_group.ollama', attribute: 'description', expected: 'a', actual: 'b' },
      { address: 'aws_launch_template.ollama', attribute: '(resource)', expected: 'exists', actual: 'deleted' },
      { address: 'aws_autoscaling_group.ollama', attribute: 'min_size', expected: 1, actual: '$(reboot)' },
    ]);
    expect(m.set).toEqual({});
    expect(m.notAdopted.map((n) => n.why)).toEqual([
      'no aws-spot-ollama spec param maps to aws_security_group.description',
      'the resource was deleted; a deletion is no param value (Revert recreates it)',
      'the observed value is not a valid minSize',
    ]);
  });

  it('maps nothing on a blueprint without a mapping', () => {
    const m = mapDriftToParams(k3s, [
      { address: 'proxmox_virtual_environment_vm.worker[0]', attribute: 'cpu', expected: [], actual: [] },
    ]);
    expect(m.notAdopted[0]?.why).toBe('no proxmox-k3s spec param maps to proxmox_virtual_environment_vm.cpu');
    expect(resourceType('module.k.aws_autoscaling_schedule.stop[0]')).toBe('aws_autoscaling_schedule');
  });
});
