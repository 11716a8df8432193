import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  prepareTerraformEnv,
  renderTargetConfig,
  writeTargetConfig,
} from '../../../../src/agents/forge/prepare-terraform-target.js';
import { PROXMOX_PROVIDER } from '../../../../src/agents/forge/render-proxmox.js';
import { StackWorkspace } from '../../../../src/agents/forge/stack-workspace.js';
import { readProxmoxSettings } from '../../../../src/config/read-proxmox-settings.js';
import { readTerraformSettings } from '../../../../src/config/read-terraform-settings.js';
import { redactText } from '../../../../src/log/redact-text.js';
import { awsSpec, proxmoxSpec } from '../../../support/forge-specs.js';

const SECRET = '0b8f6c1e-4d2a-4c55-9e11-planted000001';
const TOKEN = `crew@pve!forge=${SECRET}`;
const ENDPOINT = 'https://pve.example.test:8006/';
const dirs: string[] = [];

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function workspace(stack = 'k3s-lab'): StackWorkspace {
  const dir = mkdtempSync(join(tmpdir(), 'proxmox-target-'));
  dirs.push(dir);
  return new StackWorkspace(dir, stack);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile());
}

const proxmox = () => readProxmoxSettings({ CREW_PROXMOX_ENDPOINT: ENDPOINT, PROXMOX_API_TOKEN: TOKEN }, '/');
const spec = () => ({ ...proxmoxSpec(), target: 'proxmox' as const });

describe('the proxmox target', () => {
  it('renders proxmox-k3s from the copy in the workspace with pinned bpg/proxmox and the login user', async () => {
    const ws = workspace();
    const files = renderTargetConfig(spec(), ws, undefined, {
      proxmox: { sshUser: 'crew', sshPublicKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIplanted crew@host'] },
    });
    const root = JSON.parse(files['main.tf.json'] ?? '{}') as {
      terraform: { required_providers: Record<string, unknown> };
      provider: { proxmox: Record<string, unknown> };
      module: { k3s: Record<string, unknown> };
    };
    expect(root.terraform.required_providers).toEqual({ proxmox: { ...PROXMOX_PROVIDER } });
    expect(root.provider.proxmox).toEqual({ insecure: false });
    expect(root.module.k3s).toMatchObject({
      source: './modules/proxmox-k3s',
      name: 'k3s-lab',
      servers: 3,
      workers: 2,
      gpu_workers: 1,
      ci_username: 'crew',
      ssh_public_keys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIplanted crew@host'],
    });

    await writeTargetConfig(spec(), ws, undefined, { proxmox: proxmox() });
    const copied = filesUnder(join(ws.dir, 'modules', 'proxmox-k3s')).map((f) => relative(ws.dir, f));
    expect(copied).toContain(join('modules', 'proxmox-k3s', 'versions.tf'));
  });

  it('hands terraform the endpoint and token through its environment only, and only for proxmox', async () => {
    const ws = workspace();
    const settings = readTerraformSettings({}, 'us-east-1');
    await writeTargetConfig(spec(), ws, settings, { proxmox: proxmox() });
    const env = await prepareTerraformEnv(spec(), ws, { settings, proxmox: proxmox() });
    expect(env).toMatchObject({ PROXMOX_VE_ENDPOINT: ENDPOINT, PROXMOX_VE_API_TOKEN: TOKEN });
    expect(env.PROXMOX_VE_INSECURE).toBeUndefined();
    for (const file of filesUnder(ws.dir)) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toContain(SECRET);
      expect(text, file).not.toContain('pve.example.test');
    }
    // The token is masked wherever it would be logged.
    expect(redactText(`terraform env: PROXMOX_VE_API_TOKEN=${TOKEN}`)).not.toContain(SECRET);

    for (const other of [awsSpec(), { ...awsSpec(), target: 'aws' as const }]) {
      const otherEnv = await prepareTerraformEnv(other, workspace('ollama-dev'), { settings, proxmox: proxmox() });
      expect(Object.keys(otherEnv).filter((k) => k.startsWith('PROXMOX'))).toEqual([]);
    }
  });

  it('fails a proxmox plan that lacks the endpoint or the token, naming the setting', async () => {
    const ws = workspace();
    const none = readProxmoxSettings({}, '/');
    await expect(prepareTerraformEnv(spec(), ws, { proxmox: none })).rejects.toThrow(
      /the proxmox target needs CREW_PROXMOX_ENDPOINT .* and PROXMOX_API_TOKEN/,
    );
    const noToken = readProxmoxSettings({ CREW_PROXMOX_ENDPOINT: ENDPOINT }, '/');
    await expect(prepareTerraformEnv(spec(), ws, { proxmox: noToken })).rejects.toThrow(
      /^the proxmox target needs PROXMOX_API_TOKEN/,
    );
  });
});

describe('readProxmoxSettings', () => {
  it('takes the token from the secrets first and checks the endpoint and the token shape', () => {
    const s = readProxmoxSettings({ PROXMOX_API_TOKEN: 'ignored@pve!x=y-env-only' }, '/', { PROXMOX_API_TOKEN: TOKEN });
    expect(s.apiToken).toBe(TOKEN);
    expect(s.sshUser).toBe('ubuntu');
    expect(s.playbookTimeoutMs).toBe(1_800_000);
    expect(() => readProxmoxSettings({ CREW_PROXMOX_ENDPOINT: 'http://pve:8006/' }, '/')).toThrow(
      /CREW_PROXMOX_ENDPOINT=http:\/\/pve:8006\/ is not an https URL/,
    );
    expect(() => readProxmoxSettings({ CREW_PROXMOX_ENDPOINT: 'pve:8006' }, '/')).toThrow(/CREW_PROXMOX_ENDPOINT/);
    let message = '';
    try {
      readProxmoxSettings({ PROXMOX_API_TOKEN: 'no-shape-planted-secret' }, '/');
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/^PROXMOX_API_TOKEN is not a Proxmox API token/);
    expect(message).not.toContain('planted');
    expect(() => readProxmoxSettings({ CREW_PROXMOX_SSH_KEY_FILE: '/nonexistent/id_ed25519' }, '/')).toThrow(
      /CREW_PROXMOX_SSH_KEY_FILE=\/nonexistent\/id_ed25519 does not exist/,
    );
    expect(() => readProxmoxSettings({ CREW_PROXMOX_SSH_USER: 'Root;' }, '/')).toThrow(/CREW_PROXMOX_SSH_USER/);
  });
});
