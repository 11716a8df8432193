import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareTerraformEnv } from '../../../../src/agents/forge/prepare-terraform-target.js';
import { explainFailure } from '../../../../src/agents/forge/explain-failure.js';
import { StackWorkspace } from '../../../../src/agents/forge/stack-workspace.js';
import { TerraformChangeRunner } from '../../../../src/agents/forge/terraform-change-runner.js';
import { TerraformRunner } from '../../../../src/agents/forge/terraform-runner.js';
import { readConfig } from '../../../../src/config/read-config.js';
import { openVaultSession } from '../../../../src/secrets/open-vault-session.js';
import { readAwsVaultCredentials } from '../../../../src/secrets/read-aws-vault-credentials.js';
import type { PlanSpec } from '../../../../contracts/index.js';
import { awsSpec } from '../../../support/forge-specs.js';
import { FIXTURE_BIN } from '../../../support/terraform-harness.js';
import { startVaultStandIn, type VaultStandIn } from '../../../support/vault-stand-in.js';

// What terraform's environment holds per target, seen by a stand-in `terraform` that prints it.

const PROCESS_ENV = {
  PATH: process.env.PATH ?? '',
  HOME: '/home/crew',
  TF_LOG: 'WARN',
  SLACK_BOT_TOKEN: 'xoxb-1111-2222-slacktokenvalue',
  SLACK_SIGNING_SECRET: 'signing-secret-value-123',
  VAULT_TOKEN: 'hvs.vaulttokenvalue1234567890',
  VAULT_ADDR: 'http://127.0.0.1:1',
  PG_CONN_STR: 'postgres://stray@elsewhere/db',
  AWS_PROFILE: 'crew-deploy',
  AWS_REGION: 'eu-west-1',
  AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:4566',
  AWS_CA_BUNDLE: '/etc/ssl/crew.pem',
  AWS_SESSION_TOKEN: 'env-session-token-value',
  AWS_UNRELATED_SETTING: 'no',
};

let data: string;
let vault: VaultStandIn;
let issued = 0;

beforeAll(async () => {
  data = mkdtempSync(join(tmpdir(), 'tf-env-'));
  vault = await startVaultStandIn({
    dynamic: {
      'aws/creds/crew-deploy': () => ({
        access_key: `ASIAVAULTDYNAMIC${String(++issued).padStart(4, '0')}`,
        secret_key: `vault-dynamic-secret-key-number-${issued}`,
        security_token: `vault-session-token-${issued}`,
      }),
    },
    policies: { deploy: ['aws/creds/crew-deploy'] },
  });
});

afterAll(async () => {
  await vault?.close();
  rmSync(data, { recursive: true, force: true });
});

async function envOf(
  spec: PlanSpec,
  env: Record<string, string>,
  extra = {},
): Promise<{ vars: Record<string, string>; logged: string[] }> {
  const config = readConfig({ ...PROCESS_ENV, ...env }, data);
  const ws = new StackWorkspace(data, spec.stack);
  mkdirSync(ws.dir, { recursive: true });
  const logged: string[] = [];
  const tf = new TerraformRunner({
    bin: join(FIXTURE_BIN, 'terraform-env'),
    inheritEnv: config.inheritedEnv,
    onLog: (line) => logged.push(line),
  }).withEnv(await prepareTerraformEnv(spec, ws, { settings: config.terraform, ...extra }));
  await tf.init(ws.dir);
  const vars = Object.fromEntries(logged.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  return { vars, logged };
}

const NEVER = ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'VAULT_TOKEN', 'VAULT_ADDR', 'AWS_UNRELATED_SETTING'];

describe("terraform's environment per target", () => {
  it("the aws target gets the AWS chain untouched; the bot's tokens never", async () => {
    const { vars } = await envOf({ ...awsSpec(), target: 'aws' }, {});
    expect(vars).toMatchObject({
      AWS_PROFILE: 'crew-deploy',
      AWS_REGION: 'eu-west-1',
      AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:4566',
      AWS_CA_BUNDLE: '/etc/ssl/crew.pem',
      AWS_SESSION_TOKEN: '[redacted]',
      TF_LOG: 'WARN',
    });
    for (const name of NEVER) expect(vars).not.toHaveProperty(name);
    expect(vars).not.toHaveProperty('PG_CONN_STR');
  });

  it('the sandbox gets no AWS variable at all, unless its state lives in S3', async () => {
    const { vars } = await envOf(awsSpec(), {});
    expect(Object.keys(vars).filter((k) => k.startsWith('AWS_'))).toEqual([]);
    for (const name of NEVER) expect(vars).not.toHaveProperty(name);
    const s3 = await envOf(awsSpec(), { CREW_TF_BACKEND: 's3', CREW_TF_S3_BUCKET: 'crew-state' });
    expect(s3.vars).toMatchObject({ AWS_PROFILE: 'crew-deploy' });
  });

  it("with CREW_TF_PLUGIN_MIRROR terraform reads Forge's CLI config; without it, the inherited one", async () => {
    const mirror = mkdtempSync(join(tmpdir(), 'mirror-'));
    try {
      const own = await envOf(awsSpec(), { CREW_TF_PLUGIN_MIRROR: mirror, TF_CLI_CONFIG_FILE: '/etc/crew.tfrc' });
      expect(own.vars.TF_CLI_CONFIG_FILE).toBe(join(data, 'terraform', 'provider-mirror.tfrc'));
      const inherited = await envOf(awsSpec(), { TF_CLI_CONFIG_FILE: '/etc/crew.tfrc' });
      expect(inherited.vars.TF_CLI_CONFIG_FILE).toBe('/etc/crew.tfrc');
    } finally {
      rmSync(mirror, { recursive: true, force: true });
    }
  });

  it('CREW_AWS_VAULT_ROLE: fresh Vault credentials per command replace the chain, masked in every log line', async () => {
    const session = await openVaultSession({ VAULT_ADDR: vault.url, VAULT_TOKEN: vault.addToken(['deploy']) });
    const awsCredentials = () => readAwsVaultCredentials(session, 'aws', 'crew-deploy');
    const env = { CREW_AWS_VAULT_ROLE: 'crew-deploy' };
    const first = await envOf({ ...awsSpec(), target: 'aws' }, env, { awsCredentials });
    const second = await envOf({ ...awsSpec(), target: 'aws' }, env, { awsCredentials });
    expect(first.vars.AWS_ACCESS_KEY_ID).toMatch(/^ASIAVAULTDYNAMIC|\[redacted\]/);
    expect(first.vars.AWS_SECRET_ACCESS_KEY).toBe('[redacted]');
    expect(first.vars.AWS_SESSION_TOKEN).toBe('[redacted]');
    expect(first.vars).not.toHaveProperty('AWS_PROFILE');
    expect(first.vars.AWS_REGION).toBe('eu-west-1');
    expect(issued).toBeGreaterThanOrEqual(2);
    const all = [...first.logged, ...second.logged].join('\n');
    for (const leaked of ['vault-dynamic-secret-key-number-', 'vault-session-token-', 'env-session-token-value'])
      expect(all).not.toContain(leaked);
  });

  it('a role Vault refuses is a clear failure naming CREW_AWS_VAULT_ROLE', async () => {
    const session = await openVaultSession({ VAULT_ADDR: vault.url, VAULT_TOKEN: vault.addToken(['nothing']) });
    await expect(readAwsVaultCredentials(session, 'aws', 'crew-deploy')).rejects.toThrow(
      /Vault denied reading AWS credentials at aws\/creds\/crew-deploy \(CREW_AWS_VAULT_ROLE\)/,
    );
  });

  it('a mirror without the aws provider fails the aws plan before terraform runs, naming the setting and the fix', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'empty-mirror-'));
    try {
      const config = readConfig({ ...PROCESS_ENV, CREW_TF_PLUGIN_MIRROR: empty }, data);
      const logged: string[] = [];
      const tf = new TerraformRunner({
        bin: join(FIXTURE_BIN, 'terraform-env'),
        inheritEnv: config.inheritedEnv,
        onLog: (line) => logged.push(line),
      });
      const runner = new TerraformChangeRunner(tf, undefined, { settings: config.terraform });
      const spec: PlanSpec = { ...awsSpec(), target: 'aws', stack: 'mirrorless' };
      const err = await runner
        .plan(spec, new StackWorkspace(data, spec.stack), { name: 'p1' })
        .catch((e: unknown) => e);
      expect(explainFailure(err)).toMatch(
        new RegExp(
          `^Terraform provider hashicorp/aws is not available in the mirror CREW_TF_PLUGIN_MIRROR=${empty}, so the aws target cannot plan.*terraform providers mirror`,
        ),
      );
      expect(logged).toEqual([]);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
