import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { renderK3sInventory } from '../../../../src/agents/forge/k3s-inventory.js';
import { requireDebianBinary } from '../../../support/bind-server.js';
import { REPO_ROOT } from '../../../support/paths.js';

const ROOT = REPO_ROOT;
const ANSIBLE_ENV = {
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '/tmp',
  LANG: 'C.UTF-8',
  ANSIBLE_NOCOLOR: '1',
  ANSIBLE_LOCALHOST_WARNING: 'False',
};

// `terraform output -json` of the proxmox-k3s module: 3 servers, 2 workers, the first a GPU one.
const OUTPUTS = {
  server_ips: { sensitive: false, type: ['list', 'string'], value: ['10.0.0.11', '10.0.0.12', '10.0.0.13'] },
  worker_ips: { sensitive: false, type: ['list', 'string'], value: ['10.0.0.21', '10.0.0.22'] },
  ansible_inventory: {
    sensitive: false,
    type: 'object',
    value: {
      all: {
        vars: { ansible_user: 'ubuntu' },
        children: {
          k3s_servers: {
            hosts: {
              'lab-server-1': { ansible_host: '10.0.0.11' },
              'lab-server-2': { ansible_host: '10.0.0.12' },
              'lab-server-3': { ansible_host: '10.0.0.13' },
            },
          },
          k3s_workers: {
            hosts: { 'lab-worker-1': { ansible_host: '10.0.0.21' }, 'lab-worker-2': { ansible_host: '10.0.0.22' } },
          },
          k3s_gpu: { hosts: { 'lab-worker-1': { ansible_host: '10.0.0.21' } } },
        },
      },
    },
  },
};

let dir: string;
let inventory: string;
beforeAll(() => {
  requireDebianBinary('ansible-playbook');
  dir = mkdtempSync(join(tmpdir(), 'crew-k3s-'));
  inventory = join(dir, 'inventory.yml');
  writeFileSync(inventory, renderK3sInventory(OUTPUTS));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('renderK3sInventory', () => {
  it('renders the groups the playbooks use, and ansible-inventory accepts it', async () => {
    const doc = parse(readFileSync(inventory, 'utf8')) as {
      all: {
        vars: Record<string, string>;
        children: Record<
          string,
          { children?: Record<string, { hosts: Record<string, unknown> }>; hosts?: Record<string, unknown> }
        >;
      };
    };
    expect(doc.all.vars).toEqual({ ansible_user: 'ubuntu' });
    expect(Object.keys(doc.all.children.k3s_cluster?.children?.k3s_servers?.hosts ?? {})).toEqual([
      'lab-server-1',
      'lab-server-2',
      'lab-server-3',
    ]);
    expect(Object.keys(doc.all.children.k3s_gpu?.hosts ?? {})).toEqual(['lab-worker-1']);

    const r = await execa('ansible-inventory', ['-i', inventory, '--list'], { env: ANSIBLE_ENV, extendEnv: false });
    const list = JSON.parse(String(r.stdout)) as Record<string, { hosts?: string[]; children?: string[] }> & {
      _meta: { hostvars: Record<string, Record<string, unknown>> };
    };
    expect(list.k3s_servers?.hosts).toEqual(['lab-server-1', 'lab-server-2', 'lab-server-3']);
    expect(list.k3s_workers?.hosts).toEqual(['lab-worker-1', 'lab-worker-2']);
    expect(list.k3s_gpu?.hosts).toEqual(['lab-worker-1']);
    expect(list.k3s_cluster?.children).toEqual(expect.arrayContaining(['k3s_servers', 'k3s_workers']));
    expect(list._meta.hostvars['lab-worker-2']).toEqual({ ansible_host: '10.0.0.22', ansible_user: 'ubuntu' });
  });

  it('falls back to server_ips / worker_ips, and refuses hosts without an address', () => {
    const text = renderK3sInventory({
      server_ips: ['10.0.0.11'],
      worker_ips: ['10.0.0.21', '10.0.0.22'],
      gpu_workers: 1,
    });
    const doc = parse(text) as { all: { children: { k3s_gpu: { hosts: Record<string, unknown> } } } };
    expect(doc.all.children.k3s_gpu.hosts).toEqual({ 'k3s-worker-1': { ansible_host: '10.0.0.21' } });
    expect(() => renderK3sInventory({ server_ips: [null] })).toThrow(/no IP address yet/);
    expect(() => renderK3sInventory({ worker_ips: ['10.0.0.21'] })).toThrow(/no K3s servers/);
    expect(() => renderK3sInventory({ server_ips: ['10.0.0.11; rm -rf /'] })).toThrow(/no IP address/);
  });
});

describe('playbooks', () => {
  it('pass ansible-playbook --syntax-check (k3s and dns)', async () => {
    const k3s = readdirSync(join(ROOT, 'playbooks', 'k3s'))
      .filter((f) => f.endsWith('.yml') && f !== 'k3s-vars.yml')
      .map((f) => join(ROOT, 'playbooks', 'k3s', f));
    const playbooks = [...k3s, join(ROOT, 'playbooks', 'dns', 'dns-record.yml')];
    expect(k3s.map((p) => p.split('/').pop()).sort()).toEqual(['deploy-manifests.yml', 'install-k3s.yml', 'site.yml']);
    const results = await Promise.all(
      playbooks.map((p) =>
        execa('ansible-playbook', ['--syntax-check', '-i', inventory, p], {
          env: ANSIBLE_ENV,
          extendEnv: false,
          reject: false,
        }),
      ),
    );
    results.forEach((r, i) => expect(r.exitCode, `${playbooks[i]}: ${String(r.stdout)} ${String(r.stderr)}`).toBe(0));
  });

  it('never print the join token: every task that touches it is no_log', () => {
    const plays = parse(readFileSync(join(ROOT, 'playbooks', 'k3s', 'install-k3s.yml'), 'utf8')) as Array<{
      tasks: Array<Record<string, unknown>>;
    }>;
    const touching = plays.flatMap((p) => p.tasks).filter((t) => JSON.stringify(t).includes('k3s_token'));
    expect(touching.length).toBeGreaterThanOrEqual(4);
    for (const t of touching) expect(t.no_log, String(t.name)).toBe(true);
  });
});

// Just enough of the Kubernetes shapes the assertions read.
interface PodSpec {
  containers: Array<{ resources: { requests: Record<string, unknown>; limits: Record<string, unknown> } }>;
  runtimeClassName?: string;
  tolerations?: unknown[];
  nodeSelector?: Record<string, string>;
}
interface K8sDoc {
  kind: string;
  metadata: { name: string };
  handler?: string;
  spec: { type?: string; template: { spec: PodSpec } };
}

describe('manifests/k3s', () => {
  const docs = (file: string) =>
    parseAllDocuments(readFileSync(join(ROOT, 'manifests', 'k3s', file), 'utf8')).map((d) => d.toJS() as K8sDoc);

  it('runs Ollama on one GPU, tolerating the GPU taint the playbook sets, inside the cluster only', () => {
    const all = docs('ollama.yaml');
    expect(all.map((d) => d.kind)).toEqual([
      'Namespace',
      'PersistentVolumeClaim',
      'Deployment',
      'Service',
      'NetworkPolicy',
    ]);
    const pod = all.find((d) => d.kind === 'Deployment')?.spec.template.spec;
    if (!pod) throw new Error('ollama.yaml has no Deployment');
    const container = pod.containers[0];
    expect(container?.resources.requests['nvidia.com/gpu']).toBe(1);
    expect(container?.resources.limits['nvidia.com/gpu']).toBe(1);
    expect(pod.runtimeClassName).toBe('nvidia');
    const vars = parse(readFileSync(join(ROOT, 'playbooks', 'k3s', 'k3s-vars.yml'), 'utf8')) as Record<string, string>;
    const [taintKey] = (vars.k3s_gpu_taint ?? '').split('=');
    expect(pod.tolerations).toContainEqual({ key: taintKey, operator: 'Exists', effect: 'NoSchedule' });
    expect(pod.nodeSelector).toEqual({ 'nvidia.com/gpu.present': 'true' });
    expect(all.find((d) => d.kind === 'Service')?.spec.type).toBe('ClusterIP');
  });

  it('declares the nvidia RuntimeClass and the device plugin the Deployment relies on', () => {
    const all = docs('nvidia-device-plugin.yaml');
    expect(all.find((d) => d.kind === 'RuntimeClass')).toMatchObject({
      metadata: { name: 'nvidia' },
      handler: 'nvidia',
    });
    expect(all.find((d) => d.kind === 'DaemonSet')?.spec.template.spec.runtimeClassName).toBe('nvidia');
  });
});
