import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/config/read-config.js';
import { requireSlackConfig } from '../../../src/config/read-slack-settings.js';

const TSIG = Buffer.alloc(32, 3).toString('base64');

describe('readConfig', () => {
  it('reads every area once (Slack, DNS, AWS, digest, identity) and freezes all of it', () => {
    const c = readConfig(
      {
        CREW_REVIEW_CHANNEL: ' C0REVIEW ',
        CREW_HTTP_PORT: '3100',
        CREW_APPROVERS: 'U1, S2',
        CREW_DNS_SERVER: 'ns1.example.com:5353',
        CREW_DNS_TSIG_NAME: 'crew-key',
        CREW_DNS_TSIG_SECRET: TSIG,
        CREW_REGION: 'eu-west-1',
        CREW_AWS_MAX_ATTEMPTS: '5',
        CREW_DIGEST_CHANNEL: 'C0COST',
        CREW_DIGEST_CRON: '0 8 * * 1',
        CREW_SUGGEST_CRON: '30 7 * * 1',
        CREW_INSTANCE: 'worker-a',
        CREW_IDENTITY_MAP: 'alice=U0ALICE',
      },
      '/tmp',
    );
    expect(c.slack).toMatchObject({ reviewChannel: 'C0REVIEW', httpPort: 3100, approvers: ['U1', 'S2'], mode: 'http' });
    expect(c.slack.botToken).toBeUndefined();
    expect(c.dnsTarget).toEqual({
      host: 'ns1.example.com',
      port: 5353,
      tsig: { name: 'crew-key', algorithm: 'hmac-sha256', secret: TSIG },
    });
    expect(c.aws).toEqual({ client: { region: 'eu-west-1', maxAttempts: 5 }, hasCredentials: false });
    expect(c.digest).toEqual({ channel: 'C0COST', cron: '0 8 * * 1' });
    expect(c.suggest).toEqual({ cron: '30 7 * * 1' });
    expect(c.instance).toBe('worker-a');
    expect(typeof c.osUser).toBe('string');
    for (const part of [
      c,
      c.slack,
      c.slack.approvers,
      c.dnsTarget,
      c.dnsTarget?.tsig,
      c.aws,
      c.aws.client,
      c.digest,
      c.suggest,
      c.identityMap,
      c.instanceTypes,
      c.inheritedEnv,
    ]) {
      expect(Object.isFrozen(part)).toBe(true);
    }
    expect(() => (c.instanceTypes as string[]).push('x')).toThrow(TypeError);
  });

  it('takes secrets from what it is given (Vault, else the environment), never needing them in the environment', () => {
    const env = { CREW_DNS_SERVER: '10.0.0.53', CREW_DNS_TSIG_NAME: 'k' };
    const c = readConfig(env, '/tmp', {
      SLACK_BOT_TOKEN: 'xoxb-from-vault-1',
      SLACK_APP_TOKEN: 'xapp-from-vault-1',
      CREW_DNS_TSIG_SECRET: TSIG,
      AWS_ACCESS_KEY_ID: 'AKIAVAULTVAULTVAULT1',
      AWS_SECRET_ACCESS_KEY: 'vault-secret',
    });
    expect(requireSlackConfig(c.slack)).toMatchObject({
      botToken: 'xoxb-from-vault-1',
      appToken: 'xapp-from-vault-1',
      mode: 'socket',
    });
    expect(c.dnsTarget?.tsig?.secret).toBe(TSIG);
    // The SDK's default chain cannot see a key that only Vault holds: it is passed explicitly.
    expect(c.aws.client.credentials).toEqual({ accessKeyId: 'AKIAVAULTVAULTVAULT1', secretAccessKey: 'vault-secret' });
    expect(c.aws.hasCredentials).toBe(true);
  });

  it('leaves a key the environment holds to the SDK default chain, and a dedicated crew key wins', () => {
    const keys = { AWS_ACCESS_KEY_ID: 'AKIAENVENVENVENVENV1', AWS_SECRET_ACCESS_KEY: 'env-secret' };
    const fromEnv = readConfig(keys, '/tmp', keys);
    expect(fromEnv.aws).toEqual({ client: { region: 'us-east-1', maxAttempts: 3 }, hasCredentials: true });
    const dedicated = readConfig(
      { CREW_AWS_ACCESS_KEY_ID: 'AKIDX', CREW_AWS_SECRET_ACCESS_KEY: 'crew-secret' },
      '/tmp',
      keys,
    );
    expect(dedicated.aws.client.credentials).toEqual({ accessKeyId: 'AKIDX', secretAccessKey: 'crew-secret' });
  });

  it('lets child processes inherit PATH, HOME, LANG, TF_* and ANSIBLE_* only', () => {
    const c = readConfig(
      {
        PATH: '/bin',
        HOME: '/h',
        LANG: 'C.UTF-8',
        TF_LOG: 'WARN',
        ANSIBLE_CONFIG: '/a.cfg',
        SLACK_BOT_TOKEN: 'xoxb-1',
        VAULT_TOKEN: 'hvs.x',
        TF_: 'x',
      },
      '/tmp',
    );
    expect(c.inheritedEnv).toEqual({
      PATH: '/bin',
      HOME: '/h',
      LANG: 'C.UTF-8',
      TF_LOG: 'WARN',
      ANSIBLE_CONFIG: '/a.cfg',
    });
  });

  it('needs no Slack tokens, but refuses malformed settings of any area with the same messages as before', () => {
    expect(() => requireSlackConfig(readConfig({}, '/tmp').slack)).toThrow(/manifests\/slack-app\.yaml/);
    expect(() => readConfig({ CREW_HTTP_PORT: 'http' }, '/tmp')).toThrow('CREW_HTTP_PORT=http is not a port number');
    expect(() => readConfig({ CREW_AWS_MAX_ATTEMPTS: '0' }, '/tmp')).toThrow(
      'CREW_AWS_MAX_ATTEMPTS=0 is not a whole number between 1 and 20',
    );
    expect(() => readConfig({ CREW_DNS_SERVER: 'ns1:99999' }, '/tmp')).toThrow(/CREW_DNS_SERVER ns1:99999: port/);
  });
});
