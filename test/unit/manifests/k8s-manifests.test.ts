import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SECRET_KEYS } from '../../../src/secrets/secret-keys.js';
import { REPO, loadYamlDir, matches, workloadsOf, type Container, type Selector, type Workload } from '../../support/load-manifests.js';

const manifests = loadYamlDir(join(REPO, 'manifests/k8s'));
const workloads = workloadsOf(manifests);
const byKind = (kind: string) => manifests.filter((m) => m.kind === kind);
const containersOf = (w: Workload): Container[] => [...(w.pod.initContainers ?? []), ...w.pod.containers];
const find = (kind: string, name: string) => {
  const hit = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  if (!hit) throw new Error(`${kind}/${name} missing`);
  return hit;
};
const workload = (name: string) => workloads.find((w) => w.manifest.metadata.name === name)!;

interface PolicyPeer {
  podSelector?: Selector;
  namespaceSelector?: Selector;
  ipBlock?: { cidr: string; except?: string[] };
}
interface PolicyPort {
  protocol?: string;
  port: number;
}
interface PolicySpec {
  podSelector: Selector;
  policyTypes?: string[];
  ingress?: Array<{ from?: PolicyPeer[]; ports?: PolicyPort[] }>;
  egress?: Array<{ to?: PolicyPeer[]; ports?: PolicyPort[] }>;
}
const policies = byKind('NetworkPolicy').map((m) => ({ name: m.metadata.name, spec: m.spec as unknown as PolicySpec }));

const labelList = (s: Selector | undefined) => Object.entries(s?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
/** One peer as text: the workloads it selects in the namespace, another namespace's pods, or an address block. */
function describePeer(peer: PolicyPeer): string {
  if (peer.ipBlock) return `ip:${peer.ipBlock.cidr}`;
  if (peer.namespaceSelector) {
    const ns = peer.namespaceSelector.matchLabels?.['kubernetes.io/metadata.name'] ?? labelList(peer.namespaceSelector).join(',');
    return [`ns:${ns}`, ...(peer.podSelector ? [`pod:${labelList(peer.podSelector).join(',')}`] : [])].join(' ');
  }
  return workloads
    .filter((w) => matches(peer.podSelector ?? {}, w.labels))
    .map((w) => w.manifest.metadata.name)
    .sort()
    .join(',');
}
/** Every (peer, protocol/port) a pod with these labels may reach (egress) or be reached from (ingress). */
function flowsOf(labels: Record<string, string>, direction: 'ingress' | 'egress'): string[] {
  return policies
    .filter((p) => matches(p.spec.podSelector, labels))
    .flatMap((p) => p.spec[direction] ?? [])
    .flatMap((rule) => {
      const peers = direction === 'ingress' ? (rule as { from?: PolicyPeer[] }).from : (rule as { to?: PolicyPeer[] }).to;
      // A rule without peers or ports would open everything; show it so the comparison fails.
      return (peers ?? [{ ipBlock: { cidr: 'ANY' } }]).flatMap((peer) =>
        (rule.ports ?? [{ port: 0 }]).map((x) => `${describePeer(peer)} ${x.protocol ?? 'TCP'}/${x.port}`),
      );
    });
}

describe('Kubernetes manifests', () => {
  it('parse, and every object is namespaced to infracrew (except the Namespace)', () => {
    expect(manifests.length).toBeGreaterThan(10);
    for (const m of manifests) {
      expect(m.apiVersion, m.file).toBeTruthy();
      if (m.kind !== 'Namespace' && m.kind !== 'Kustomization') expect(m.metadata.namespace, `${m.kind}/${m.metadata.name}`).toBe('infracrew');
    }
  });

  it('enforce the restricted pod security standard on the namespace', () => {
    expect(find('Namespace', 'infracrew').metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  it('have serve (1 replica), worker (2), Redis and PostgreSQL StatefulSets and Ollama', () => {
    expect(workload('infracrew-serve').manifest.spec?.replicas).toBe(1);
    expect(workload('infracrew-worker').manifest.spec?.replicas).toBe(2);
    expect(workload('infracrew-serve').pod.containers[0]!.args).toEqual(['serve']);
    expect(workload('infracrew-worker').pod.containers[0]!.args).toEqual(['worker']);
    expect(workload('infracrew-redis').manifest.kind).toBe('StatefulSet');
    expect(workload('infracrew-postgres').manifest.kind).toBe('StatefulSet');
    expect(workload('infracrew-ollama')).toBeDefined();
  });

  it('give every container requests and limits for cpu and memory', () => {
    for (const w of workloads) {
      for (const c of containersOf(w)) {
        for (const part of ['requests', 'limits'] as const) {
          expect(c.resources?.[part]?.cpu, `${w.manifest.metadata.name}/${c.name} ${part}.cpu`).toBeDefined();
          expect(c.resources?.[part]?.memory, `${w.manifest.metadata.name}/${c.name} ${part}.memory`).toBeDefined();
        }
      }
    }
  });

  it('run every container non-root, read-only, without privilege escalation or capabilities, under RuntimeDefault seccomp', () => {
    for (const w of workloads) {
      for (const c of containersOf(w)) {
        const where = `${w.manifest.metadata.name}/${c.name}`;
        const sc = c.securityContext ?? {};
        expect(sc.runAsNonRoot ?? w.pod.securityContext?.runAsNonRoot, where).toBe(true);
        expect(sc.allowPrivilegeEscalation, where).toBe(false);
        expect(sc.readOnlyRootFilesystem, where).toBe(true);
        expect(sc.capabilities?.drop, where).toContain('ALL');
        expect(sc.capabilities?.add ?? [], where).toEqual([]);
        expect(sc.seccompProfile?.type ?? w.pod.securityContext?.seccompProfile?.type, where).toBe('RuntimeDefault');
      }
    }
  });

  it('pin every image to a tag or digest, never latest', () => {
    for (const w of workloads) {
      for (const c of containersOf(w)) {
        const ref = c.image;
        const tag = ref.includes('@') ? ref.split('@')[1] : ref.slice(ref.lastIndexOf('/') + 1).split(':')[1];
        expect(tag, ref).toBeTruthy();
        expect(tag, ref).not.toBe('latest');
      }
    }
  });

  it('select their own pods: every workload selector matches its template labels', () => {
    for (const w of workloads) expect(matches(w.selector, w.labels), w.manifest.metadata.name).toBe(true);
  });

  it('route every Service to at least one workload', () => {
    for (const s of byKind('Service')) {
      const selector = { matchLabels: (s.spec as { selector: Record<string, string> }).selector };
      expect(workloads.some((w) => matches(selector, w.labels)), s.metadata.name).toBe(true);
    }
  });

  it('deny all ingress and egress by default', () => {
    const deny = policies.find((p) => Object.keys(p.spec.podSelector).length === 0 && !p.spec.ingress && !p.spec.egress);
    expect(deny?.spec.policyTypes?.sort()).toEqual(['Egress', 'Ingress']);
  });

  it('aim every NetworkPolicy, and every in-namespace peer, at an existing workload', () => {
    for (const p of policies) {
      expect(workloads.some((w) => matches(p.spec.podSelector, w.labels)), p.name).toBe(true);
      const peers = [...(p.spec.ingress ?? []).flatMap((r) => r.from ?? []), ...(p.spec.egress ?? []).flatMap((r) => r.to ?? [])];
      for (const peer of peers) {
        if (peer.podSelector && !peer.namespaceSelector) expect(workloads.some((w) => matches(peer.podSelector!, w.labels)), `${p.name} peer`).toBe(true);
      }
    }
  });

  it('open exactly the needed flows, and nothing else in or out', () => {
    const crewOut = [
      'infracrew-redis TCP/6379',
      'infracrew-postgres TCP/5432',
      'infracrew-ollama TCP/11434',
      'ns:kube-system pod:k8s-app=kube-dns UDP/53',
      'ns:kube-system pod:k8s-app=kube-dns TCP/53',
      'ns:vault TCP/8200',
      'ip:0.0.0.0/0 TCP/443',
    ];
    const fromCrew = (port: number) => [`infracrew-serve,infracrew-worker TCP/${port}`];
    const expected: Record<string, { ingress: string[]; egress: string[] }> = {
      'infracrew-worker': { ingress: ['ns:monitoring pod:app.kubernetes.io/name=prometheus TCP/9464'], egress: crewOut },
      'infracrew-serve': { ingress: ['ns:monitoring pod:app.kubernetes.io/name=prometheus TCP/9464'], egress: crewOut },
      'infracrew-redis': { ingress: fromCrew(6379), egress: [] },
      'infracrew-postgres': { ingress: fromCrew(5432), egress: [] },
      'infracrew-ollama': { ingress: fromCrew(11434), egress: [] },
    };
    expect(workloads.map((w) => w.manifest.metadata.name).sort()).toEqual(Object.keys(expected).sort());
    for (const [name, flows] of Object.entries(expected)) {
      expect(flowsOf(workload(name).labels, 'ingress').sort(), `${name} ingress`).toEqual([...flows.ingress].sort());
      expect(flowsOf(workload(name).labels, 'egress').sort(), `${name} egress`).toEqual([...flows.egress].sort());
    }
  });

  it('keep the internet egress (443) off private and link-local ranges', () => {
    const blocks = policies.flatMap((p) => (p.spec.egress ?? []).flatMap((r) => (r.to ?? []).flatMap((t) => (t.ipBlock ? [t.ipBlock] : []))));
    expect(blocks).toEqual([{ cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16'] }]);
  });

  it('give Ollama a GPU', () => {
    const c = workload('infracrew-ollama').pod.containers[0]!;
    expect(String(c.resources?.limits?.['nvidia.com/gpu'])).toBe('1');
    expect(String(c.resources?.requests?.['nvidia.com/gpu'])).toBe('1');
  });

  it('run Redis with AOF on a persistent volume behind a headless Service', () => {
    const redis = workload('infracrew-redis');
    const c = redis.pod.containers[0]!;
    const argv = [...(c.command ?? []), ...(c.args ?? [])].join(' ');
    expect(argv).toContain('--appendonly yes');
    const spec = redis.manifest.spec as { serviceName: string; volumeClaimTemplates?: Array<{ metadata: { name: string } }> };
    expect(spec.volumeClaimTemplates?.map((v) => v.metadata.name)).toContain('data');
    const svc = find('Service', spec.serviceName).spec as { clusterIP?: string };
    expect(svc.clusterIP).toBe('None');
  });

  it('scrape the metrics port with a ServiceMonitor', () => {
    const sm = find('ServiceMonitor', 'infracrew').spec as { selector: Selector; endpoints: Array<{ port: string; path: string }> };
    expect(sm.endpoints[0]).toMatchObject({ port: 'metrics', path: '/metrics' });
    const scraped = byKind('Service').filter((s) => matches(sm.selector, s.metadata.labels ?? {}));
    expect(scraped.map((s) => s.metadata.name).sort()).toEqual(['infracrew-serve-metrics', 'infracrew-worker-metrics']);
  });

  it('keep secrets out of the ConfigMap and list every file in the kustomization', () => {
    const data = find('ConfigMap', 'infracrew-config').data ?? {};
    const secretNames = [...SECRET_KEYS, 'VAULT_TOKEN', 'VAULT_ROLE_ID', 'VAULT_SECRET_ID', 'REDIS_PASSWORD', 'REDIS_URL'];
    for (const key of secretNames) expect(Object.keys(data)).not.toContain(key);
    const kustomization = manifests.find((m) => m.kind === 'Kustomization') as unknown as { resources: string[] };
    const files = new Set(manifests.filter((m) => m.kind !== 'Kustomization').map((m) => m.file));
    expect(new Set(kustomization.resources)).toEqual(files);
  });
});

describe('Dockerfile', () => {
  const text = readFileSync(join(REPO, 'Dockerfile'), 'utf8');
  const lines = text.split('\n').filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));

  it('builds in stages, runs as a non-root USER with the crew entrypoint', () => {
    expect(lines.filter((l) => /^FROM\s/i.test(l)).length).toBeGreaterThanOrEqual(2);
    expect(text).toMatch(/^FROM node:20-bookworm-slim AS runtime$/m);
    expect(text).toMatch(/RUN npm ci/);
    expect(text).toMatch(/npm run build/);
    const users = lines.filter((l) => /^USER\s/i.test(l));
    const last = users.at(-1)?.split(/\s+/)[1] ?? '';
    expect(last).not.toMatch(/^(root|0)(:|$)/);
    expect(last).toMatch(/^[1-9]\d*(:\d+)?$/);
    expect(lines).toContain('ENTRYPOINT ["node","bin/crew.js"]');
  });

  it('copies into the build stage every script `npm run build` runs', () => {
    const build = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
      .scripts['build']!;
    const scripts = [...build.matchAll(/\bnode\s+(\S+)/g)].map((m) => m[1]!);
    expect(scripts).toContain('scripts/bundle-cli.mjs');
    const buildStage = text.slice(text.indexOf('AS build'), text.indexOf('AS runtime'));
    const copied = [...buildStage.matchAll(/^COPY\s+(?!--from)(.+)\s+\S+$/gm)].flatMap((m) => m[1]!.split(/\s+/));
    for (const file of scripts)
      expect(
        copied.some((c) => file === c || file.startsWith(`${c.replace(/\/$/, '')}/`)),
        `${file} is not copied before npm run build`,
      ).toBe(true);
  });

  it('downloads nothing with ADD and ships terraform', () => {
    expect(lines.some((l) => /^ADD\s+https?:/i.test(l))).toBe(false);
    expect(text).toMatch(/\/usr\/local\/bin\/terraform/);
  });

  it('keeps node_modules, .git and env files out of the build context', () => {
    const ignore = readFileSync(join(REPO, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['node_modules', '.git', '.env', 'dist']) expect(ignore).toContain(entry);
  });
});
