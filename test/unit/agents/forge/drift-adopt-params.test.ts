import { describe, expect, it } from 'vitest';
import { mapDriftToParams } from '../../../../src/agents/forge/drift-adopt-params.js';
import { resourceType } from '../../../../src/agents/forge/drift-value-path.js';
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

  it('maps an instance type added or removed out of band (the provider reads each override whole)', () => {
    // The real provider's override: every field present, empty where unset.
    const read = (types: string[]) => [
      {
        instances_distribution: [{ on_demand_base_capacity: 0, spot_allocation_strategy: 'price-capacity-optimized' }],
        launch_template: [
          {
            launch_template_specification: [{ launch_template_id: 'lt-1', version: '1' }],
            override: types.map((t) => ({
              instance_requirements: [],
              instance_type: t,
              launch_template_specification: [],
              weighted_capacity: '',
            })),
          },
        ],
      },
    ];
    const drift = (expected: unknown, actual: unknown) => [
      { address: 'module.ollama.aws_autoscaling_group.ollama', attribute: 'mixed_instances_policy', expected, actual },
    ];
    const added = mapDriftToParams(prod, drift(read(['g5.xlarge']), read(['g5.xlarge', 'g6.xlarge'])));
    expect(added.set).toEqual({ instanceTypes: ['g5.xlarge', 'g6.xlarge'], onDemandBase: 0 });
    const removed = mapDriftToParams(prod, drift(read(['g5.xlarge', 'g6.xlarge']), read(['g6.xlarge'])));
    expect(removed.set.instanceTypes).toEqual(['g6.xlarge']);
    // A weight on an override is more than a type: no param holds it.
    const weighted = read(['g5.xlarge', 'g6.xlarge']);
    weighted[0]!.launch_template[0]!.override[1]!.weighted_capacity = '2';
    const w = mapDriftToParams(prod, drift(read(['g5.xlarge']), weighted));
    expect(w.set).toEqual({});
    expect(w.notAdopted[0]?.why).toContain('only the instance types and the on-demand base');
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
    const m = mapDriftToParams(currentSpecs['dns-local']!, [
      { address: 'terraform_data.record', attribute: 'input', expected: 1, actual: 2 },
    ]);
    expect(m.notAdopted[0]?.why).toBe('no dns-record spec param maps to terraform_data.input');
    expect(resourceType('module.k.aws_autoscaling_schedule.stop[0]')).toBe('aws_autoscaling_schedule');
  });

  describe('proxmox-k3s: one value for every VM', () => {
    // k3s-lab: 3 servers and 2 workers, 4 cores, 8192 MB, 64 GB, vmbr0.
    const vms = ['server[0]', 'server[1]', 'server[2]', 'worker[0]', 'worker[1]'].map(
      (v) => `module.k3s.proxmox_virtual_environment_vm.${v}`,
    );
    const memory = (address: string, mb: number, floating = 0) => ({
      address,
      attribute: 'memory',
      expected: [{ dedicated: 8192, floating: 0 }],
      actual: [{ dedicated: mb, floating }],
    });

    it('adopts the memory, cores, disk size and bridge every VM shows', () => {
      const m = mapDriftToParams(k3s, [
        ...vms.map((a) => memory(a, 16384)),
        ...vms.map((address) => ({
          address,
          attribute: 'cpu',
          expected: [{ cores: 4, sockets: 1, type: 'host' }],
          actual: [{ cores: 8, sockets: 1, type: 'host' }],
        })),
        ...vms.map((address) => ({
          address,
          attribute: 'disk',
          expected: [{ interface: 'scsi0', size: 64 }],
          actual: [{ interface: 'scsi0', size: 128 }],
        })),
        ...vms.map((address) => ({
          address,
          attribute: 'network_device',
          expected: [{ bridge: 'vmbr0', model: 'virtio' }],
          actual: [{ bridge: 'vmbr1', model: 'virtio' }],
        })),
      ]);
      expect(m.set).toEqual({ memoryMb: 16384, cores: 8, diskGb: 128, network: 'vmbr1' });
      expect(m.adopted[0]).toMatchObject({ param: 'memoryMb', from: 8192, to: 16384, address: vms[0] });
      expect(m.notAdopted).toEqual([]);
    });

    it('one VM resized by hand, VMs that differ, or more than the size changed: not adopted, with the reason', () => {
      const one = mapDriftToParams(k3s, [memory(vms[3]!, 16384)]);
      expect(one.set).toEqual({});
      expect(one.notAdopted).toEqual([
        {
          address: vms[3],
          attribute: 'memory',
          why: "memoryMb is one value for every VM, and only 1 of the stack's 5 VMs show 16384",
        },
      ]);
      const mixed = mapDriftToParams(
        k3s,
        vms.map((a, i) => memory(a, i === 0 ? 4096 : 16384)),
      );
      expect(mixed.set).toEqual({});
      expect(mixed.notAdopted[0]?.why).toBe('memoryMb is one value for every VM, and the VMs show different ones');
      const more = mapDriftToParams(
        k3s,
        vms.map((a) => memory(a, 16384, 1024)),
      );
      expect(more.set).toEqual({});
      expect(more.notAdopted[0]?.why).toBe('only dedicated in memory maps to memoryMb, and more than that changed');
      const tiny = mapDriftToParams(
        k3s,
        vms.map((a) => memory(a, 64)),
      );
      expect(tiny.notAdopted[0]?.why).toBe('the observed value is not a valid memoryMb');
      const other = mapDriftToParams(k3s, [
        { address: vms[0]!, attribute: 'tags', expected: ['a'], actual: ['b'] },
        { address: vms[1]!, attribute: '(resource)', expected: 'exists', actual: 'deleted' },
      ]);
      expect(other.notAdopted.map((n) => n.why)).toEqual([
        'no proxmox-k3s spec param maps to proxmox_virtual_environment_vm.tags',
        'the resource was deleted; a deletion is no param value (Revert recreates it)',
      ]);
    });
  });
});
