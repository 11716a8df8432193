import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AWS_PROVIDER_VERSION } from '../../../../src/agents/forge/render-aws.js';
import { pgSchemaName, renderBackend } from '../../../../src/agents/forge/render-backend.js';
import { prepareTerraformEnv, renderTargetConfig } from '../../../../src/agents/forge/prepare-terraform-target.js';
import { StackWorkspace } from '../../../../src/agents/forge/stack-workspace.js';
import { readTerraformSettings } from '../../../../src/config/read-terraform-settings.js';
import { awsSpec } from '../../../support/forge-specs.js';

const PASSWORD = 'Pl4nted-pg-Passw0rd';
const CONN = `postgres://crew:${PASSWORD}@db.internal:5432/tfstate?sslmode=require`;
const dirs: string[] = [];

function workspace(stack = 'ollama-dev'): StackWorkspace {
  const dir = mkdtempSync(join(tmpdir(), 'render-target-'));
  dirs.push(dir);
  return new StackWorkspace(dir, stack);
}

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

type Root = {
  terraform: {
    required_providers?: Record<string, { source: string; version: string }>;
    backend?: Record<string, unknown>;
  };
  provider?: { aws: { region: string; default_tags: { tags: Record<string, string> } } };
};

const parse = (text: string | undefined) => JSON.parse(text ?? '{}') as Root;

describe('renderTargetConfig', () => {
  it('renders the aws root config with a pinned provider, the spec region and default tags', () => {
    const ws = workspace();
    const files = renderTargetConfig({ ...awsSpec(), target: 'aws', region: 'eu-central-1' }, ws, undefined, {
      planId: 'pl_123',
    });
    expect(Object.keys(files)).toEqual(['main.tf.json']);
    const root = parse(files['main.tf.json']);
    expect(root.terraform.required_providers?.aws).toEqual({ source: 'hashicorp/aws', version: AWS_PROVIDER_VERSION });
    expect(AWS_PROVIDER_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
    expect(root.provider?.aws.region).toBe('eu-central-1');
    expect(root.provider?.aws.default_tags.tags).toEqual({
      Blueprint: 'aws-spot-ollama',
      ManagedBy: 'infracrew',
      Stack: 'ollama-dev',
      PlanId: 'pl_123',
    });
  });

  it('keeps the sandbox provider-free, and refuses a blueprint with no rendering for its target', () => {
    const ws = workspace();
    const root = parse(renderTargetConfig(awsSpec(), ws, undefined)['main.tf.json']);
    expect(root.terraform.required_providers).toBeUndefined();
    expect(() => renderTargetConfig({ ...awsSpec(), target: 'proxmox' }, ws, undefined)).toThrow(
      /no Terraform rendering for the proxmox target/,
    );
  });

  it('renders no backend block for local state', () => {
    expect(renderBackend(readTerraformSettings({}, 'eu-west-1'), 'ollama-dev')).toEqual({ files: {}, env: {} });
  });

  it('renders the s3 backend: key per stack, lock file, path style with an endpoint', () => {
    const settings = readTerraformSettings(
      { CREW_TF_BACKEND: 's3', CREW_TF_S3_BUCKET: 'crew-state', CREW_TF_S3_ENDPOINT: 'http://127.0.0.1:9000' },
      'eu-west-1',
    );
    const files = renderTargetConfig({ ...awsSpec(), target: 'aws' }, workspace(), settings);
    expect(parse(files['backend.tf.json']).terraform.backend).toEqual({
      s3: {
        bucket: 'crew-state',
        key: 'infracrew/ollama-dev/terraform.tfstate',
        region: 'eu-west-1',
        use_lockfile: true,
        endpoints: { s3: 'http://127.0.0.1:9000' },
        use_path_style: true,
      },
    });
    const plain = renderBackend(readTerraformSettings({ CREW_TF_BACKEND: 's3', CREW_TF_S3_BUCKET: 'b-1' }, 'r'), 'x');
    expect(parse(plain.files['backend.tf.json']).terraform.backend).toEqual({
      s3: { bucket: 'b-1', key: 'infracrew/x/terraform.tfstate', region: 'r', use_lockfile: true },
    });
  });

  it('renders the pg backend with one schema per stack and the connection string only in the environment', async () => {
    const settings = readTerraformSettings({ CREW_TF_BACKEND: 'pg', CREW_TF_PG_CONN: CONN }, 'eu-west-1');
    const ws = workspace('ollama-dev');
    const files = renderTargetConfig({ ...awsSpec(), target: 'aws' }, ws, settings, { planId: 'pl_1' });
    expect(parse(files['backend.tf.json']).terraform.backend).toEqual({ pg: { schema_name: 'infracrew_ollama_dev' } });
    expect(pgSchemaName('a-b-c')).toBe('infracrew_a_b_c');
    await ws.writeConfig(files);
    for (const name of readdirSync(ws.dir).filter((f) => f.endsWith('.json'))) {
      const text = readFileSync(join(ws.dir, name), 'utf8');
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain('db.internal');
    }
    const env = await prepareTerraformEnv({ ...awsSpec(), target: 'aws' }, ws, { settings });
    expect(env.PG_CONN_STR).toBe(CONN);
  });
});
