import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from '../../support/load-manifests.js';

interface Bom {
  bomFormat: string;
  specVersion: string;
  components: Array<{ name: string; version: string; purl?: string }>;
}

const dir = mkdtempSync(join(tmpdir(), 'crew-sbom-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SBOM', () => {
  it.concurrent('npm sbom lists the runtime dependencies as CycloneDX, without dev tools', async () => {
    const { stdout } = await execa('npm', ['sbom', '--sbom-format', 'cyclonedx', '--omit', 'dev'], { cwd: REPO });
    const bom = JSON.parse(stdout) as Bom;
    expect(bom.bomFormat).toBe('CycloneDX');
    const names = bom.components.map((c) => c.name);
    expect(names).toContain('ioredis');
    expect(names).toContain('prom-client');
    expect(names).not.toContain('vitest');
  });

  it.concurrent('scripts/sbom.sh writes a checked file', async () => {
    const out = join(dir, 'sbom.cdx.json');
    const { stdout, stderr } = await execa('bash', [join(REPO, 'scripts/sbom.sh'), out], { cwd: REPO });
    expect(stdout.trim()).toBe(out);
    expect(stderr).toMatch(/sbom: CycloneDX [\d.]+, \d+ components/);
    const bom = JSON.parse(readFileSync(out, 'utf8')) as Bom;
    expect(bom.components.find((c) => c.name === 'ioredis')?.purl).toMatch(/^pkg:npm\/ioredis@/);
  });
});
