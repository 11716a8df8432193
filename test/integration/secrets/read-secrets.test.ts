import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactText } from '../../../src/log/redact-text.js';
import { readSecrets } from '../../../src/secrets/read-secrets.js';
import { startVaultStandIn, type VaultStandIn } from '../../support/vault-stand-in.js';

const PATH = 'secret/data/infracrew';
const DOC = {
  SLACK_BOT_TOKEN: 'xoxb-from-vault-0001',
  AWS_SECRET_ACCESS_KEY: 'aws-secret-from-vault',
  UNUSED_EXTRA: 'extra-value-from-vault',
};

let vault: VaultStandIn;
let readerToken: string;
let strangerToken: string;

beforeAll(async () => {
  vault = await startVaultStandIn({
    secrets: { [PATH]: DOC, 'secret/data/other': { SLACK_APP_TOKEN: 'xapp-other-path-123' } },
    policies: { 'infracrew-read': [PATH, 'secret/data/other', 'secret/data/empty'] },
    approle: { roleId: 'role-123', secretId: 'secret-id-456789', policies: ['infracrew-read'], leaseSeconds: 3600 },
  });
  readerToken = vault.addToken(['infracrew-read']);
  strangerToken = vault.addToken(['nothing']);
});
afterAll(async () => vault.close());

describe('readSecrets', () => {
  it('uses the environment alone when VAULT_ADDR is unset', async () => {
    const s = await readSecrets({
      SLACK_BOT_TOKEN: 'xoxb-env-only-1',
      PROXMOX_API_TOKEN: '',
      AWS_ACCESS_KEY_ID: 'AKIAENVONLY',
    });
    expect(s.values).toEqual({ SLACK_BOT_TOKEN: 'xoxb-env-only-1', AWS_ACCESS_KEY_ID: 'AKIAENVONLY' });
    expect(s.sources).toEqual({ SLACK_BOT_TOKEN: 'env', AWS_ACCESS_KEY_ID: 'env' });
    expect(s.vaultPath).toBeUndefined();
    expect(Object.isFrozen(s) && Object.isFrozen(s.values) && Object.isFrozen(s.sources)).toBe(true);
    expect(() => s.startRenewal().stop()).not.toThrow();
    expect(redactText('token AKIAENVONLY here')).toBe('token [redacted] here');
  });

  it('reads KV v2 with a token and falls back to the environment per key', async () => {
    const before = vault.requests.length;
    const s = await readSecrets({
      VAULT_ADDR: vault.url,
      VAULT_TOKEN: readerToken,
      SLACK_BOT_TOKEN: 'xoxb-env-loses',
      SLACK_SIGNING_SECRET: 'env-signing-secret',
    });
    expect(s.values).toEqual({
      SLACK_BOT_TOKEN: DOC.SLACK_BOT_TOKEN,
      AWS_SECRET_ACCESS_KEY: DOC.AWS_SECRET_ACCESS_KEY,
      SLACK_SIGNING_SECRET: 'env-signing-secret',
    });
    expect(s.sources).toEqual({
      SLACK_BOT_TOKEN: 'vault',
      AWS_SECRET_ACCESS_KEY: 'vault',
      SLACK_SIGNING_SECRET: 'env',
    });
    expect(s.vaultPath).toBe(PATH);
    const read = vault.requests.slice(before);
    expect(read).toMatchObject([{ method: 'GET', path: `/v1/${PATH}`, token: readerToken }]);
    // Values the crew does not use are masked anyway, since they crossed the wire.
    expect(redactText('x extra-value-from-vault y')).toBe('x [redacted] y');
    expect(redactText(`t=${readerToken}`)).not.toContain(readerToken);
  });

  it('logs in with AppRole and reads the path from VAULT_SECRET_PATH', async () => {
    const before = vault.requests.length;
    const s = await readSecrets({
      VAULT_ADDR: vault.url,
      VAULT_ROLE_ID: 'role-123',
      VAULT_SECRET_ID: 'secret-id-456789',
      VAULT_SECRET_PATH: 'secret/data/other',
    });
    expect(s.values).toEqual({ SLACK_APP_TOKEN: 'xapp-other-path-123' });
    const [login, read] = vault.requests.slice(before);
    expect(login).toMatchObject({ method: 'POST', path: '/v1/auth/approle/login', token: undefined });
    expect(read?.token).toMatch(/^hvs\./);
    expect(redactText(`secret_id secret-id-456789`)).not.toContain('secret-id-456789');
  });

  it('ignores VAULT_TOKEN from process.env when the env given has none', async () => {
    process.env.VAULT_TOKEN = readerToken;
    try {
      await expect(readSecrets({ VAULT_ADDR: vault.url })).rejects.toThrow(/no way to log in/);
    } finally {
      delete process.env.VAULT_TOKEN;
    }
  });

  it('says which policy to check on 403, without the token', async () => {
    const err = await readSecrets({ VAULT_ADDR: vault.url, VAULT_TOKEN: strangerToken }).catch(
      (e: unknown) => e as Error,
    );
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(
      /^Vault denied reading secret\/data\/infracrew: check the policy of the token\/role/,
    );
    expect((err as Error & { code?: string }).code).toBe('CREW_ERR_CONFIG');
    expect(JSON.stringify({ m: (err as Error).message, c: (err as Error).cause })).not.toContain(strangerToken);
  });

  it('fails clearly on a bad AppRole secret, an empty path and an unreachable Vault', async () => {
    await expect(
      readSecrets({ VAULT_ADDR: vault.url, VAULT_ROLE_ID: 'role-123', VAULT_SECRET_ID: 'wrong-secret-id' }),
    ).rejects.toThrow(/Vault refused logging in with AppRole .*invalid role or secret ID/);
    await expect(
      readSecrets({ VAULT_ADDR: vault.url, VAULT_TOKEN: readerToken, VAULT_SECRET_PATH: 'secret/data/empty' }),
    ).rejects.toThrow(/Vault found nothing when reading secret\/data\/empty \(404\)/);
    await expect(
      readSecrets({ VAULT_ADDR: 'http://127.0.0.1:1', VAULT_TOKEN: readerToken }, { timeoutMs: 2000 }),
    ).rejects.toThrow(
      /Vault at http:\/\/127\.0\.0\.1:1 unreachable while reading secret\/data\/infracrew \(ECONNREFUSED\)/,
    );
  });

  it('logs sources and the path, never values', async () => {
    const lines: unknown[] = [];
    await readSecrets(
      { VAULT_ADDR: vault.url, VAULT_TOKEN: readerToken },
      { logger: { info: (obj) => void lines.push(obj) } },
    );
    expect(lines).toEqual([
      { secretSources: { SLACK_BOT_TOKEN: 'vault', AWS_SECRET_ACCESS_KEY: 'vault' }, vaultPath: PATH },
    ]);
  });
});
