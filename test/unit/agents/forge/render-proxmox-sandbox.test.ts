import { describe, expect, it } from 'vitest';
import { awsSpec, proxmoxSpec } from '../../../support/forge-specs.js';
import { readSandboxConfig } from './read-sandbox-config.js';

describe('renderSandbox (proxmox-k3s)', () => {
  it('renders N servers and M workers as proxmox VMs', () => {
    const { blocks, resources } = readSandboxConfig(proxmoxSpec());
    expect(resources).toEqual(['proxmox_virtual_environment_vm.server', 'proxmox_virtual_environment_vm.worker']);
    expect(Object.keys(blocks).sort()).toEqual([
      'proxmox_virtual_environment_vm__server__0',
      'proxmox_virtual_environment_vm__server__1',
      'proxmox_virtual_environment_vm__server__2',
      'proxmox_virtual_environment_vm__worker__0',
      'proxmox_virtual_environment_vm__worker__1',
    ]);
    expect(blocks.proxmox_virtual_environment_vm__server__0!.input).toMatchObject({
      name: 'k3s-lab-server-1',
      node_name: 'pve1',
      cpu: [{ cores: 4 }],
      memory: [{ dedicated: 8192 }],
      disk: [expect.objectContaining({ size: 64 })],
      network_device: [expect.objectContaining({ bridge: 'vmbr0' })],
      clone: [expect.objectContaining({ vm_id: 9000 })],
    });
  });

  it('passes the GPU through on GPU workers only, on q35', () => {
    const { blocks } = readSandboxConfig(proxmoxSpec());
    expect(blocks.proxmox_virtual_environment_vm__worker__0!.input).toMatchObject({
      machine: 'q35',
      hostpci: [expect.objectContaining({ device: 'hostpci0', pcie: true })],
    });
    expect(blocks.proxmox_virtual_environment_vm__worker__1!.input).toMatchObject({ machine: null, hostpci: [] });
    expect(blocks.proxmox_virtual_environment_vm__server__0!.input.hostpci).toEqual([]);
  });

  it('sets cloud-init users with keys and never a password', () => {
    const init = readSandboxConfig(proxmoxSpec()).blocks.proxmox_virtual_environment_vm__server__1!.input
      .initialization as { user_account: { password: unknown }[] }[];
    expect(init[0]!.user_account[0]!.password).toBeNull();
  });

  it('replaces a VM when its node or template changes', () => {
    expect(readSandboxConfig(proxmoxSpec()).blocks.proxmox_virtual_environment_vm__worker__0!.triggers_replace).toEqual(
      ['pve1', 9000],
    );
    expect(readSandboxConfig(awsSpec()).blocks.aws_vpc__main!.triggers_replace).toBeDefined();
  });
});
