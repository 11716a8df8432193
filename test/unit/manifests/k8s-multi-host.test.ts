import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { REPO, loadYamlDir, workloadsOf, type Container, type Workload } from '../../support/load-manifests.js';

// Workers on any node share nothing but Redis and PostgreSQL: these checks fail if a shared
// (ReadWriteMany) volume, or a persistent data dir, comes back.
const manifests = loadYamlDir(join(REPO, 'manifests/k8s'));
const workloads = workloadsOf(manifests);
const workload = (name: string) => workloads.find((w) => w.manifest.metadata.name === name)!;
const crew = ['infracrew-serve', 'infracrew-worker'].map(workload);
const config = manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name === 'infracrew-config')!.data ?? {};
const mainContainer = (w: Workload): Container => w.pod.containers[0]!;
const volumeAt = (w: Workload, path: string) => {
  const mount = mainContainer(w).volumeMounts?.find((m) => m.mountPath === path);
  return { mount, volume: w.pod.volumes?.find((v) => v.name === mount?.name) };
};

interface ClaimSpec {
  accessModes?: string[];
}
/** Every access mode any claim asks for: PersistentVolumeClaims and StatefulSet claim templates. */
function accessModes(docs: Array<{ kind?: string; spec?: Record<string, unknown> }>): string[] {
  return docs.flatMap((d) => {
    if (d.kind === 'PersistentVolumeClaim') return (d.spec as ClaimSpec).accessModes ?? [];
    const templates = (d.spec?.volumeClaimTemplates ?? []) as Array<{ spec: ClaimSpec }>;
    return templates.flatMap((t) => t.spec.accessModes ?? []);
  });
}

describe('Kubernetes manifests: several hosts', () => {
  it('run the workers as a Deployment with no claim at all and no ReadWriteMany anywhere', () => {
    expect(workload('infracrew-worker').manifest.kind).toBe('Deployment');
    for (const w of crew) {
      expect(w.pod.volumes?.filter((v) => v.persistentVolumeClaim) ?? [], w.manifest.metadata.name).toEqual([]);
      expect(w.manifest.spec?.volumeClaimTemplates, w.manifest.metadata.name).toBeUndefined();
    }
    expect(accessModes(manifests)).not.toContain('ReadWriteMany');
    // The overlay may not bring one back either.
    const overlay = readFileSync(join(REPO, 'manifests/k8s-external-postgres/kustomization.yaml'), 'utf8');
    expect(overlay).not.toMatch(/ReadWriteMany|persistentVolumeClaim/);
  });

  it('give the crew its data dir (CREW_DATA_DIR) as a writable emptyDir, and every writable mount too', () => {
    expect(config.CREW_DATA_DIR).toBe('/data');
    for (const w of crew) {
      const name = w.manifest.metadata.name;
      const { mount, volume } = volumeAt(w, config.CREW_DATA_DIR!);
      expect(volume?.emptyDir, name).toBeDefined();
      expect(mount?.readOnly ?? false, name).toBe(false);
      expect(mainContainer(w).securityContext?.readOnlyRootFilesystem, name).toBe(true);
      for (const m of mainContainer(w).volumeMounts ?? []) {
        const v = w.pod.volumes?.find((x) => x.name === m.name);
        expect(v?.emptyDir ?? (m.readOnly ? 'read-only' : undefined), `${name} ${m.mountPath}`).toBeDefined();
      }
    }
  });

  it('keep Terraform state in the pg backend and read both DSNs from the infracrew-postgres Secret', () => {
    expect(config.CREW_TF_BACKEND).toBe('pg');
    expect(Object.keys(config)).not.toContain('CREW_DATABASE_URL');
    expect(Object.keys(config)).not.toContain('CREW_TF_PG_CONN');
    for (const w of crew) {
      const env = mainContainer(w).env ?? [];
      for (const [name, key] of [
        ['CREW_DATABASE_URL', 'database-url'],
        ['CREW_TF_PG_CONN', 'tf-pg-conn'],
      ] as const) {
        const entry = env.find((e) => e.name === name);
        expect(entry?.value, `${w.manifest.metadata.name} ${name}`).toBeUndefined();
        expect(entry?.valueFrom?.secretKeyRef, `${w.manifest.metadata.name} ${name}`).toEqual({ name: 'infracrew-postgres', key });
      }
    }
  });

  it('run PostgreSQL as a StatefulSet on a ReadWriteOnce claim, password from the Secret, behind a headless Service', () => {
    const pg = workload('infracrew-postgres');
    expect(pg.manifest.kind).toBe('StatefulSet');
    expect(pg.manifest.spec?.replicas).toBe(1);
    expect(accessModes([pg.manifest])).toEqual(['ReadWriteOnce']);
    const c = mainContainer(pg);
    expect(c.env?.find((e) => e.name === 'POSTGRES_PASSWORD')?.valueFrom?.secretKeyRef).toEqual({ name: 'infracrew-postgres', key: 'password' });
    expect(c.env?.find((e) => e.name === 'PGDATA')?.value).toMatch(/^\/var\/lib\/postgresql\/data\/./);
    expect(volumeAt(pg, '/var/lib/postgresql/data').mount?.name).toBe('data');
    // The root filesystem is read-only: the socket dir must be writable scratch.
    expect(volumeAt(pg, '/var/run/postgresql').volume?.emptyDir).toBeDefined();
    const svc = manifests.find((m) => m.kind === 'Service' && m.metadata.name === 'infracrew-postgres')!.spec as { clusterIP?: string };
    expect(svc.clusterIP).toBe('None');
  });

  describe('the external-postgres overlay', () => {
    const overlay = parse(readFileSync(join(REPO, 'manifests/k8s-external-postgres/kustomization.yaml'), 'utf8')) as {
      resources: string[];
      patches: Array<{ patch: string }>;
    };
    const patches = overlay.patches.map((p) => parseAllDocuments(p.patch)[0]!.toJS() as Record<string, unknown> & { kind: string; metadata: { name: string } });

    it('builds on manifests/k8s and deletes exactly the in-cluster PostgreSQL', () => {
      expect(overlay.resources).toEqual(['../k8s']);
      const deleted = patches.filter((p) => p.$patch === 'delete').map((p) => `${p.kind}/${p.metadata.name}`);
      const inCluster = manifests
        .filter((m) => m.file === 'postgres.yaml' || (m.kind === 'NetworkPolicy' && m.metadata.name === 'postgres-ingress'))
        .map((m) => `${m.kind}/${m.metadata.name}`);
      expect(deleted.sort()).toEqual(inCluster.sort());
          });

    it('points postgres-egress at an address block on 5432 and changes nothing else', () => {
      const kept = patches.filter((p) => p.$patch !== 'delete');
      expect(kept.map((p) => `${p.kind}/${p.metadata.name}`)).toEqual(['NetworkPolicy/postgres-egress']);
      const egress = (kept[0]!.spec as { egress: Array<{ to: Array<Record<string, unknown>>; ports: Array<{ port: number }> }> }).egress;
      expect(egress).toHaveLength(1);
      expect(egress[0]!.to.every((peer) => Object.keys(peer).join() === 'ipBlock')).toBe(true);
      expect(egress[0]!.ports.map((p) => p.port)).toEqual([5432]);
    });
  });
});
