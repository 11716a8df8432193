import type { ProxmoxK3sSpec } from '../../../contracts/artifacts.js';
import type { SandboxParts, SandboxResource, SandboxValue } from './sandbox-expr.js';

// K3s VMs of terraform/modules/proxmox-k3s with the attribute names of bpg/proxmox's plan JSON.

const DATASTORE = 'local-lvm';
const GPU_MAPPING = 'gpu';

type Role = 'server' | 'worker';

function vm(spec: ProxmoxK3sSpec, role: Role, index: number): SandboxResource {
  const p = spec.params;
  const gpu = role === 'worker' && index < p.gpuWorkers;
  const name = `${spec.stack}-${role}-${index + 1}`;
  // The module resolves a template name through a data source at plan time; the sandbox can
  // only carry a numeric template id.
  const templateId = /^\d+$/.test(p.vmTemplate) ? Number(p.vmTemplate) : null;
  const input: Record<string, SandboxValue> = {
    name,
    node_name: p.node,
    description: `k3s ${role} of stack ${spec.stack}`,
    tags: [...new Set(['infracrew', 'k3s', role, spec.stack, ...(gpu ? ['gpu'] : [])])].sort(),
    on_boot: true,
    started: true,
    machine: gpu ? 'q35' : null,
    bios: 'seabios',
    agent: [{ enabled: true, timeout: '15m', trim: false, type: 'virtio' }],
    cpu: [{ cores: p.cores, sockets: 1, type: 'host' }],
    memory: [{ dedicated: p.memoryMb, floating: 0 }],
    disk: [
      {
        datastore_id: DATASTORE,
        interface: 'scsi0',
        size: p.diskGb,
        file_format: 'raw',
        discard: 'on',
        iothread: true,
      },
    ],
    network_device: [{ bridge: p.network, model: 'virtio', enabled: true, firewall: false }],
    operating_system: [{ type: 'l26' }],
    clone: [{ vm_id: templateId, node_name: p.node, full: true, retries: 1 }],
    initialization: [
      {
        datastore_id: DATASTORE,
        ip_config: [{ ipv4: [{ address: 'dhcp', gateway: null }] }],
        // Keys only: the module has no password variable at all.
        user_account: [{ username: 'ubuntu', keys: [], password: null }],
      },
    ],
    hostpci: gpu ? [{ device: 'hostpci0', mapping: GPU_MAPPING, pcie: true, rombar: true, xvga: false, id: null }] : [],
  };
  return { type: 'proxmox_virtual_environment_vm', name: role, index, input, replaceOn: [p.node, templateId] };
}

export function renderProxmoxSandbox(spec: ProxmoxK3sSpec): SandboxParts {
  const p = spec.params;
  const servers = Array.from({ length: p.servers }, (_, i) => vm(spec, 'server', i));
  const workers = Array.from({ length: p.workers }, (_, i) => vm(spec, 'worker', i));
  const names = (list: SandboxResource[]) => list.map((r) => r.input.name as string);
  return {
    resources: [...servers, ...workers],
    variables: {
      proxmox_node: { type: 'string', default: p.node, description: 'Proxmox node the VMs are created on' },
    },
    outputs: {
      server_names: { value: names(servers), description: 'K3s server VM names (inventory group k3s_servers)' },
      worker_names: { value: names(workers), description: 'K3s worker VM names (inventory group k3s_workers)' },
      gpu_worker_names: {
        value: names(workers).slice(0, p.gpuWorkers),
        description: 'Workers with the GPU passed through',
      },
    },
  };
}
