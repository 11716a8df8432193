import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { locateModule } from '../../../../src/agents/forge/locate-module.js';
import {
  PROXMOX_CREDENTIAL_ENV,
  PROXMOX_PROVIDER,
  renderProxmox,
} from '../../../../src/agents/forge/render-proxmox.js';
import { proxmoxSpec } from '../../../support/forge-specs.js';

type Root = {
  terraform: { required_providers: Record<string, { source: string; version: string }> };
  provider: { proxmox: Record<string, unknown> };
  module: { k3s: Record<string, unknown> & { source: string } };
  output: Record<string, { value: unknown }>;
};

const parse = (files: Record<string, string>) => JSON.parse(files['main.tf.json'] ?? '{}') as Root;

/** Variables the module declares, and which of them have no default. */
function moduleVariables(): { all: string[]; required: string[] } {
  const dir = locateModule('proxmox-k3s');
  const text = readdirSync(dir)
    .filter((f) => f.endsWith('.tf'))
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n');
  const blocks = [...text.matchAll(/^variable "([a-z0-9_]+)" \{([\s\S]*?)^\}/gm)];
  return {
    all: blocks.map((b) => b[1]!),
    required: blocks.filter((b) => !/^\s+default\s+=/m.test(b[2]!)).map((b) => b[1]!),
  };
}

const saved = new Map<string, string | undefined>();
afterEach(() => {
  for (const [k, v] of saved) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  saved.clear();
});

describe('renderProxmox', () => {
  it('calls proxmox-k3s with every required variable, only declared ones, and the spec values', () => {
    const root = parse(renderProxmox(proxmoxSpec(), { rootDir: '/tmp/stack' }).files);
    const { all, required } = moduleVariables();
    const args = Object.keys(root.module.k3s).filter((k) => k !== 'source');
    expect(all).toEqual(expect.arrayContaining(args));
    expect(args).toEqual(expect.arrayContaining(required));
    expect(root.module.k3s).toMatchObject({
      name: 'k3s-lab',
      servers: 3,
      workers: 2,
      gpu_workers: 1,
      vm_template: '9000',
      node_name: 'pve1',
      cores: 4,
      memory_mb: 8192,
      disk_gb: 64,
      network_bridge: 'vmbr0',
    });
  });

  it('pins bpg/proxmox to one version the module accepts', () => {
    const root = parse(renderProxmox(proxmoxSpec()).files);
    expect(root.terraform.required_providers.proxmox).toEqual({ source: 'bpg/proxmox', version: '0.66.3' });
    expect(PROXMOX_PROVIDER.version).toMatch(/^0\.(6[6-9]|[7-9]\d)\.\d+$/);
  });

  it('writes no endpoint or credential, even when they are in the environment, and keeps TLS verified', () => {
    for (const k of PROXMOX_CREDENTIAL_ENV) saved.set(k, process.env[k]);
    process.env.PROXMOX_VE_ENDPOINT = 'https://pve.example.test:8006/';
    process.env.PROXMOX_VE_API_TOKEN = 'root@pam!crew=0b8f6c1e-planted-token';
    const { files } = renderProxmox(proxmoxSpec());
    const text = Object.values(files).join('\n');
    expect(text).not.toContain('pve.example.test');
    expect(text).not.toContain('planted-token');
    const provider = parse(files).provider.proxmox;
    expect(provider).toEqual({ insecure: false });
  });

  it('outputs what the k3s inventory is rendered from', () => {
    const root = parse(renderProxmox(proxmoxSpec({ gpuWorkers: 2 })).files);
    expect(root.output.server_ips?.value).toBe('${module.k3s.server_ips}');
    expect(root.output.worker_ips?.value).toBe('${module.k3s.worker_ips}');
    expect(root.output.ansible_inventory?.value).toBe('${module.k3s.ansible_inventory}');
    expect(root.output.gpu_workers?.value).toBe(2);
  });

  it('escapes template sequences in every string it renders', () => {
    const root = parse(
      renderProxmox(proxmoxSpec({ node: '${file("/etc/passwd")}', network: '%{ for x in [1] }x%{ endfor }' })).files,
    );
    expect(root.module.k3s.node_name).toBe('$${file("/etc/passwd")}');
    expect(root.module.k3s.network_bridge).toBe('%%{ for x in [1] }x%%{ endfor }');
  });
});
