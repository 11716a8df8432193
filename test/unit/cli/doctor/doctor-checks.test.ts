import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { currentPlatform } from '../../../../src/agents/forge/check-provider-mirror.js';
import { pgAddress } from '../../../../src/cli/doctor/check-backend.js';
import { checkProviders } from '../../../../src/cli/doctor/check-providers.js';
import { checkProxmoxApi } from '../../../../src/cli/doctor/check-proxmox.js';
import { checkTerraform } from '../../../../src/cli/doctor/check-terraform.js';
import { describeAwsError } from '../../../../src/cli/doctor/describe-aws-error.js';
import { findMirror, readMirrorPath } from '../../../../src/cli/doctor/find-mirror.js';
import { renderDoctor } from '../../../../src/cli/doctor/run-doctor.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'doctor-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function mirrorWith(provider: string, version: string): string {
  const root = tempDir();
  const [ns, type] = provider.split('/') as [string, string];
  const dir = join(root, 'registry.terraform.io', ns, type, version, currentPlatform());
  mkdirSync(dir, { recursive: true });
  const bin = join(dir, `terraform-provider-${type}_v${version}_x5`);
  writeFileSync(bin, '#!/bin/sh\n');
  chmodSync(bin, 0o755);
  return root;
}

describe('crew doctor: where providers come from', () => {
  it('reads the filesystem_mirror path of a CLI config without evaluating it', () => {
    expect(
      readMirrorPath(
        'provider_installation {\n  filesystem_mirror {\n    path = "/opt/tf plugins"\n    include = ["registry.terraform.io/*/*"]\n  }\n}\n',
      ),
    ).toBe('/opt/tf plugins');
    expect(readMirrorPath('plugin_cache_dir = "/x"')).toBeUndefined();
  });

  it('prefers CREW_TF_PLUGIN_MIRROR, then TF_CLI_CONFIG_FILE, else the registry', () => {
    const rc = join(tempDir(), 'rc');
    writeFileSync(rc, 'provider_installation { filesystem_mirror { path = "/m" } }');
    expect(findMirror('/a', rc)).toEqual({ kind: 'mirror', dir: '/a', setting: 'CREW_TF_PLUGIN_MIRROR' });
    expect(findMirror(undefined, rc)).toEqual({ kind: 'mirror', dir: '/m', setting: 'TF_CLI_CONFIG_FILE' });
    expect(findMirror(undefined, undefined)).toEqual({ kind: 'registry' });
    expect(findMirror(undefined, join(tempDir(), 'missing'))).toMatchObject({ kind: 'unreadable', reason: 'ENOENT' });
  });

  it('passes a mirror holding the provider, and names the missing provider and how to mirror it', () => {
    const mirror = mirrorWith('hashicorp/aws', '5.100.0');
    expect(checkProviders(['hashicorp/aws'], mirror, undefined)).toMatchObject({ status: 'ok' });
    const missing = checkProviders(['bpg/proxmox'], mirror, undefined);
    expect(missing.status).toBe('fail');
    expect(missing.detail).toContain('CREW_TF_PLUGIN_MIRROR');
    expect(missing.detail).toContain('bpg/proxmox');
    expect(missing.fix).toContain('terraform providers mirror');
  });

  it('warns, not fails, when providers come from the registry; the sandbox needs none', () => {
    expect(checkProviders(['hashicorp/aws'], undefined, undefined).status).toBe('warn');
    expect(checkProviders([], undefined, undefined).status).toBe('ok');
  });
});

describe('crew doctor: terraform and backends', () => {
  it('says what to install when terraform is missing', async () => {
    const check = await checkTerraform(join(tempDir(), 'no-terraform'), { PATH: '/usr/bin' }, 'local');
    expect(check.status).toBe('fail');
    expect(check.fix).toMatch(/install Terraform/);
  });

  it('finds host and port of a PostgreSQL connection string in both forms, never needing the password', () => {
    expect(pgAddress('postgres://crew:s3cret@db.internal:6543/state?sslmode=require')).toEqual({
      host: 'db.internal',
      port: 6543,
    });
    expect(pgAddress("host=10.0.0.5 port=5433 user=crew password='a b'")).toEqual({ host: '10.0.0.5', port: 5433 });
    expect(pgAddress('postgresql://localhost/db')).toEqual({ host: 'localhost', port: 5432 });
    expect(pgAddress('')).toBeUndefined();
  });

  it('describes AWS errors by their code, and a missing chain in words', () => {
    expect(
      describeAwsError(
        Object.assign(new Error('The security token included in the request is expired'), { name: 'ExpiredToken' }),
      ),
    ).toBe('ExpiredToken: The security token included in the request is expired');
    expect(
      describeAwsError(
        Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }),
      ),
    ).toMatch(/no AWS credentials found/);
    // A HEAD error has no body: the SDK knows only the status.
    const bodiless = (status: number) =>
      Object.assign(new Error('UnknownError'), { name: 'Unknown', $metadata: { httpStatusCode: status } });
    expect(describeAwsError(bodiless(403))).toBe('Forbidden: access denied');
    expect(describeAwsError(bodiless(404))).toBe('NotFound: no such bucket');
  });

  it('renders a line per check with the fix under a failure, and a verdict', () => {
    const text = renderDoctor([
      { name: 'terraform', status: 'ok', detail: 'Terraform 1.11.4' },
      { name: 'backend', status: 'fail', detail: 'PostgreSQL down', fix: 'start it' },
    ]);
    expect(text.split('\n')).toEqual([
      'ok    terraform: Terraform 1.11.4',
      'FAIL  backend: PostgreSQL down',
      '      → start it',
      '1 check(s) failed: plans on this target will fail until they are fixed.',
    ]);
  });
});

describe('checkProxmoxApi', () => {
  it('names each missing setting and never shows the token', () => {
    const bin = 'ansible-playbook';
    expect(checkProxmoxApi({ hasApiToken: false, ansiblePlaybookBin: bin })).toMatchObject({
      status: 'fail',
      detail: 'CREW_PROXMOX_ENDPOINT and PROXMOX_API_TOKEN not set',
    });
    expect(checkProxmoxApi({ endpoint: 'https://pve:8006/', hasApiToken: false, ansiblePlaybookBin: bin }).detail).toBe(
      'PROXMOX_API_TOKEN not set',
    );
    expect(checkProxmoxApi({ endpoint: 'https://pve:8006/', hasApiToken: true, ansiblePlaybookBin: bin })).toEqual({
      name: 'proxmox api',
      status: 'ok',
      detail: 'endpoint https://pve:8006/, API token set',
    });
  });
});
