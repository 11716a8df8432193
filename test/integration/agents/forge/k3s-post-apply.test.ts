import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runK3sPostApply, type K3sPostApplyOptions } from '../../../../src/agents/forge/k3s-post-apply.js';
import { requireDebianBinary } from '../../../support/bind-server.js';
import { jinjaPayloads, makeMarkers, type Markers } from '../../../support/evaluation-payloads.js';

// The post-apply runner against a local inventory: the inventory comes from proxmox-k3s
// outputs as `terraform output -json` prints them, and a probe playbook (connection local, in
// place of playbooks/k3s, which needs real VMs) records what every host received.

const OUTPUTS = {
  server_ips: { sensitive: false, type: ['list', 'string'], value: ['127.0.0.1'] },
  worker_ips: { sensitive: false, type: ['list', 'string'], value: ['127.0.0.2'] },
  ansible_inventory: {
    sensitive: false,
    type: 'object',
    value: {
      all: {
        vars: { ansible_user: 'root' },
        children: {
          k3s_servers: { hosts: { 'lab-server-1': { ansible_host: '127.0.0.1' } } },
          k3s_workers: { hosts: { 'lab-worker-1': { ansible_host: '127.0.0.2' } } },
          k3s_gpu: { hosts: { 'lab-worker-1': { ansible_host: '127.0.0.2' } } },
        },
      },
    },
  },
};

const PROBE = `- name: Probe
  hosts: k3s_cluster
  connection: local
  gather_facts: false
  tasks:
    - name: Record what this host got
      ansible.builtin.copy:
        dest: "{{ probe_dir }}/{{ inventory_hostname }}.json"
        content: "{{ {'groups': group_names, 'host': ansible_host, 'probe': probe_value} | to_json }}"
        mode: "0600"
`;

const FAILING = `- name: Fails
  hosts: k3s_servers
  connection: local
  gather_facts: false
  tasks:
    - name: Stop here
      ansible.builtin.fail:
        msg: the first server is not ready
`;

let dir: string;
let markers: Markers;
let base: K3sPostApplyOptions;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'crew-k3s-post-'));
  markers = makeMarkers();
  writeFileSync(join(dir, 'probe.yml'), PROBE);
  writeFileSync(join(dir, 'failing.yml'), FAILING);
  base = {
    bin: requireDebianBinary('ansible-playbook'),
    playbook: join(dir, 'probe.yml'),
    workDir: join(dir, 'stack'),
    env: process.env,
    timeoutMs: 120_000,
  };
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  markers?.remove();
});

describe('runK3sPostApply', { timeout: 180_000 }, () => {
  it('check mode reports the diff and changes nothing; the real run hands every host its vars as data', async () => {
    const probeDir = join(dir, 'probe');
    mkdirSync(probeDir);
    const payload = Object.values(jinjaPayloads(markers.path('jinja')))[0] ?? '';
    const options = { ...base, extraVars: { probe_dir: probeDir, probe_value: payload } };

    const check = await runK3sPostApply(options, { outputs: OUTPUTS, check: true });
    expect(check.exitCode, check.output).toBe(0);
    expect(check.output).toMatch(/changed: \[lab-server-1\]/);
    expect(check.output).toContain('+++ after');
    expect(readdirSync(probeDir)).toEqual([]);

    const applied = await runK3sPostApply(options, { outputs: OUTPUTS, check: false });
    expect(applied.exitCode, applied.output).toBe(0);
    expect(readdirSync(probeDir).sort()).toEqual(['lab-server-1.json', 'lab-worker-1.json']);
    const worker = JSON.parse(readFileSync(join(probeDir, 'lab-worker-1.json'), 'utf8')) as Record<string, unknown>;
    expect(worker).toEqual({ groups: ['k3s_cluster', 'k3s_gpu', 'k3s_workers'], host: '127.0.0.2', probe: payload });
    expect(markers.created()).toEqual([]);
    expect(existsSync(applied.inventoryPath)).toBe(true);
  });

  it('returns the failed task message instead of throwing', async () => {
    const r = await runK3sPostApply({ ...base, playbook: join(dir, 'failing.yml') }, { outputs: OUTPUTS, check: true });
    expect(r.exitCode).not.toBe(0);
    expect(r.error).toContain('the first server is not ready');
  });

  it('refuses outputs without reachable servers before running anything', async () => {
    await expect(runK3sPostApply(base, { outputs: { server_ips: [null] }, check: true })).rejects.toThrow(
      /no IP address yet/,
    );
  });
});
