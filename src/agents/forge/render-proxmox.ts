import { relative } from 'node:path';
import type { ProxmoxK3sSpec } from '../../../contracts/artifacts.js';
import { locateModule } from './locate-module.js';
import { escapeStrings } from './escape-strings.js';

export interface RenderProxmoxOptions {
  /** Directory the root config will live in: the module source becomes relative to it. */
  rootDir?: string;
  /** The module's source as written (e.g. `./modules/proxmox-k3s`, a copy in the workspace); wins over rootDir. */
  moduleSource?: string;
  /** The user cloud-init creates and Ansible logs in as (the module's `ci_username`). */
  sshUser?: string;
  /** OpenSSH public keys authorised for that user (public: they may sit in the config). */
  sshPublicKeys?: readonly string[];
}

/**
 * bpg/proxmox, pinned exactly: 0.66.3 is the release the module was written against
 * (`>= 0.66.0` in its versions.tf), and an air-gapped mirror holds one version. Raise it
 * deliberately, with the provider mirror (`terraform providers mirror`) refreshed alongside.
 */
export const PROXMOX_PROVIDER = { source: 'bpg/proxmox', version: '0.66.3' } as const;

/**
 * Environment variables bpg/proxmox reads for what the root config never holds: the API
 * endpoint and the API token (`user@realm!tokenid=secret`). Forge passes them to terraform's
 * environment only.
 */
export const PROXMOX_CREDENTIAL_ENV = ['PROXMOX_VE_ENDPOINT', 'PROXMOX_VE_API_TOKEN'] as const;

/** Outputs of the root config; k3s-inventory.ts renders the Ansible inventory from them. */
export const PROXMOX_OUTPUTS = ['server_ips', 'worker_ips', 'ansible_inventory', 'gpu_workers'] as const;

/**
 * Root config for the proxmox target: the proxmox-k3s module with the spec's parameters.
 * The provider block holds no endpoint and no credentials (bpg/proxmox reads
 * PROXMOX_VE_ENDPOINT and PROXMOX_VE_API_TOKEN), and TLS verification is fixed on: a
 * self-signed Proxmox CA belongs in the trust store (SSL_CERT_FILE), not in `insecure`.
 */
export function renderProxmox(
  spec: ProxmoxK3sSpec,
  options: RenderProxmoxOptions = {},
): { files: Record<string, string> } {
  const p = spec.params;
  const modulePath = locateModule('proxmox-k3s');
  const rel = options.rootDir ? relative(options.rootDir, modulePath) : modulePath;
  const source = options.moduleSource ?? (options.rootDir && !rel.startsWith('..') ? `./${rel}` : rel);
  const moduleArgs: Record<string, unknown> = {
    source,
    name: spec.stack,
    servers: p.servers,
    workers: p.workers,
    gpu_workers: p.gpuWorkers,
    vm_template: p.vmTemplate,
    node_name: p.node,
    cores: p.cores,
    memory_mb: p.memoryMb,
    disk_gb: p.diskGb,
    network_bridge: p.network,
    ...(options.sshUser ? { ci_username: options.sshUser } : {}),
    ...(options.sshPublicKeys?.length ? { ssh_public_keys: [...options.sshPublicKeys] } : {}),
  };
  const out = (name: string, description: string) => ({ value: `\${module.k3s.${name}}`, description });
  const config = {
    terraform: {
      required_version: '>= 1.5',
      required_providers: { proxmox: { ...PROXMOX_PROVIDER } },
    },
    provider: { proxmox: { insecure: false } },
    module: { k3s: escapeStrings(moduleArgs) },
    output: {
      server_ips: out('server_ips', 'IPv4 address of each K3s server, in order'),
      worker_ips: out('worker_ips', 'IPv4 address of each K3s worker, in order'),
      ansible_inventory: out('ansible_inventory', 'Inventory for playbooks/k3s (k3s_servers, k3s_workers, k3s_gpu)'),
      // A literal: the inventory's fallback (server_ips/worker_ips) needs to know which workers have GPUs.
      gpu_workers: { value: p.gpuWorkers, description: 'How many of the first workers have a GPU' },
    },
  };
  return { files: { 'main.tf.json': `${JSON.stringify(config, null, 2)}\n` } };
}
