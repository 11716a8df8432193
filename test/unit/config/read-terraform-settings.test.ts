import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/config/read-config.js';
import { readAwsChainEnv } from '../../../src/config/read-aws-chain-env.js';
import { readTerraformSettings } from '../../../src/config/read-terraform-settings.js';
import { CrewError } from '../../../src/errors.js';
import { redactText } from '../../../src/log/redact-text.js';

function configError(env: Record<string, string>): CrewError {
  try {
    readTerraformSettings(env, 'eu-west-1', '/srv/crew');
  } catch (err) {
    if (err instanceof CrewError) return err;
    throw err;
  }
  throw new Error('no error');
}

describe('readTerraformSettings', () => {
  it('defaults to the local backend, no mirror, the aws Vault mount', () => {
    expect(readTerraformSettings({}, 'eu-west-1')).toEqual({ backend: 'local', awsVaultMount: 'aws', awsChainEnv: {} });
  });

  it('reads the s3 backend with its defaults: the crew region and the infracrew key prefix', () => {
    const t = readTerraformSettings({ CREW_TF_BACKEND: 's3', CREW_TF_S3_BUCKET: 'crew-state' }, 'eu-west-1');
    expect(t.s3).toEqual({ bucket: 'crew-state', region: 'eu-west-1', keyPrefix: 'infracrew' });
    const custom = readTerraformSettings(
      {
        CREW_TF_BACKEND: 's3',
        CREW_TF_S3_BUCKET: 'crew-state',
        CREW_TF_S3_REGION: 'us-west-2',
        CREW_TF_S3_ENDPOINT: 'http://127.0.0.1:9000',
        CREW_TF_S3_KEY_PREFIX: 'teams/ml/',
      },
      'eu-west-1',
    );
    expect(custom.s3).toEqual({
      bucket: 'crew-state',
      region: 'us-west-2',
      endpoint: 'http://127.0.0.1:9000',
      keyPrefix: 'teams/ml',
    });
  });

  it('reads the pg conn string from Vault before the environment, and masks it and its password', () => {
    const conn = 'postgres://crew:Sup3r-s3cret-pw@db.internal:5432/tfstate';
    const t = readTerraformSettings({ CREW_TF_BACKEND: 'pg', CREW_TF_PG_CONN: 'postgres://env/x' }, 'r', '/', {
      CREW_TF_PG_CONN: conn,
    });
    expect(t.pg).toEqual({ connStr: conn });
    expect(redactText(`failed: ${conn}`)).not.toContain('Sup3r-s3cret-pw');
    expect(redactText('password Sup3r-s3cret-pw was refused')).not.toContain('Sup3r-s3cret-pw');
  });

  it('resolves a relative plugin mirror against the working directory and keeps TF_CLI_CONFIG_FILE', () => {
    const t = readTerraformSettings(
      {
        CREW_TF_PLUGIN_MIRROR: 'mirror',
        TF_CLI_CONFIG_FILE: '/etc/tf.rc',
        CREW_AWS_VAULT_ROLE: 'crew-deploy',
        VAULT_ADDR: 'http://127.0.0.1:8200',
      },
      'r',
      '/srv/crew',
    );
    expect(t).toMatchObject({
      pluginMirror: '/srv/crew/mirror',
      cliConfigFile: '/etc/tf.rc',
      awsVaultRole: 'crew-deploy',
    });
  });

  it.each([
    [{ CREW_TF_BACKEND: 'consul' }, 'CREW_TF_BACKEND'],
    [{ CREW_TF_BACKEND: 's3' }, 'CREW_TF_S3_BUCKET'],
    [{ CREW_TF_BACKEND: 's3', CREW_TF_S3_BUCKET: 'Bad_Bucket' }, 'CREW_TF_S3_BUCKET'],
    [{ CREW_TF_BACKEND: 's3', CREW_TF_S3_BUCKET: 'ok-bucket', CREW_TF_S3_ENDPOINT: 'ftp://x' }, 'CREW_TF_S3_ENDPOINT'],
    [
      { CREW_TF_BACKEND: 's3', CREW_TF_S3_BUCKET: 'ok-bucket', CREW_TF_S3_KEY_PREFIX: '../up' },
      'CREW_TF_S3_KEY_PREFIX',
    ],
    [{ CREW_TF_BACKEND: 'pg' }, 'CREW_TF_PG_CONN'],
    [{ CREW_TF_BACKEND: 'pg', CREW_TF_PG_CONN: 'just words' }, 'CREW_TF_PG_CONN'],
    [{ CREW_TF_PLUGIN_MIRROR: '/opt/"x' }, 'CREW_TF_PLUGIN_MIRROR'],
    [{ CREW_AWS_VAULT_ROLE: 'a role', VAULT_ADDR: 'http://v' }, 'CREW_AWS_VAULT_ROLE'],
    [{ CREW_AWS_VAULT_ROLE: 'deploy' }, 'VAULT_ADDR'],
    [{ CREW_AWS_VAULT_MOUNT: '../sys' }, 'CREW_AWS_VAULT_MOUNT'],
  ])('%o is a config error naming %s', (env, setting) => {
    const err = configError(env);
    expect(err.code).toBe('CREW_ERR_CONFIG');
    expect(err.message).toContain(setting);
  });

  it('is part of the frozen CrewConfig', () => {
    const c = readConfig({ CREW_TF_BACKEND: 's3', CREW_TF_S3_BUCKET: 'crew-state', CREW_REGION: 'ap-south-1' }, '/tmp');
    expect(c.terraform.s3?.region).toBe('ap-south-1');
    expect(Object.isFrozen(c.terraform)).toBe(true);
    expect(Object.isFrozen(c.terraform.s3)).toBe(true);
    expect(() => readConfig({ CREW_TF_BACKEND: 'pg' }, '/tmp')).toThrow(/CREW_TF_PG_CONN/);
  });
});

describe('readAwsChainEnv', () => {
  it('passes the standard chain through untouched and nothing else', () => {
    const env = {
      AWS_PROFILE: 'crew',
      AWS_REGION: 'eu-west-1',
      AWS_ENDPOINT_URL_EC2: 'http://127.0.0.1:1',
      AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://169.254.170.23/v1/credentials',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/token',
      AWS_SOMETHING_ELSE: 'no',
      SLACK_BOT_TOKEN: 'xoxb-no',
      VAULT_TOKEN: 'hvs.no',
    };
    expect(readAwsChainEnv(env)).toEqual({
      AWS_PROFILE: 'crew',
      AWS_REGION: 'eu-west-1',
      AWS_ENDPOINT_URL_EC2: 'http://127.0.0.1:1',
      AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://169.254.170.23/v1/credentials',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/token',
    });
  });

  it('a key pair from Vault replaces the environment pair and drops its session token', () => {
    const env = { AWS_ACCESS_KEY_ID: 'AKIAENVENVENVENVENV1', AWS_SECRET_ACCESS_KEY: 'env', AWS_SESSION_TOKEN: 'tok' };
    expect(readAwsChainEnv(env, { AWS_ACCESS_KEY_ID: 'AKIAVAULTVAULTVAULT1', AWS_SECRET_ACCESS_KEY: 'v' })).toEqual({
      AWS_ACCESS_KEY_ID: 'AKIAVAULTVAULTVAULT1',
      AWS_SECRET_ACCESS_KEY: 'v',
    });
    expect(readAwsChainEnv(env, env)).toEqual(env);
  });
});
