import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSecrets } from '../../../src/secrets/read-secrets.js';
import type { RenewalOptions } from '../../../src/secrets/start-token-renewal.js';
import { startVaultStandIn, type VaultStandIn } from '../../support/vault-stand-in.js';

const PATH = 'secret/data/infracrew';
let vault: VaultStandIn;

beforeAll(async () => {
  vault = await startVaultStandIn({
    secrets: { [PATH]: { PROXMOX_API_TOKEN: 'proxmox-token-value' } },
    policies: { reader: [PATH] },
    // A one-second lease: renewal is due after ~667 ms.
    approle: { roleId: 'role-r', secretId: 'secret-renewal-1', policies: ['reader'], leaseSeconds: 1 },
  });
});
afterAll(async () => vault.close());

type RenewEvent = Parameters<NonNullable<RenewalOptions['onRenewed']>>[0];

function collect() {
  const events: Array<RenewEvent & { at: number }> = [];
  const errors: Error[] = [];
  const next = (how: RenewEvent['how'], timeoutMs = 3000) =>
    new Promise<RenewEvent & { at: number }>((resolve, reject) => {
      const start = events.length;
      const deadline = setTimeout(() => reject(new Error(`no ${how} within ${timeoutMs} ms`)), timeoutMs);
      const poll = setInterval(() => {
        const hit = events.slice(start).find((e) => e.how === how);
        if (hit) {
          clearInterval(poll);
          clearTimeout(deadline);
          resolve(hit);
        }
      }, 10);
    });
  const options: RenewalOptions = {
    onRenewed: (e) => events.push({ ...e, at: Date.now() }),
    onError: (e) => errors.push(e),
    retryMs: 200,
  };
  return { events, errors, next, options };
}

describe('token renewal', () => {
  it('renews at about two thirds of the lease, again and again', async () => {
    const secrets = await readSecrets({
      VAULT_ADDR: vault.url,
      VAULT_ROLE_ID: 'role-r',
      VAULT_SECRET_ID: 'secret-renewal-1',
    });
    const c = collect();
    const started = Date.now();
    const handle = secrets.startRenewal(c.options);
    try {
      const first = await c.next('renew');
      expect(first.at - started).toBeGreaterThanOrEqual(600);
      expect(first.at - started).toBeLessThan(950);
      expect(first.leaseSeconds).toBe(1);
      const second = await c.next('renew');
      expect(second.at - first.at).toBeGreaterThanOrEqual(600);
      expect(c.errors).toEqual([]);
      const renewals = vault.requests.filter((r) => r.path === '/v1/auth/token/renew-self');
      expect(renewals.every((r) => r.token?.startsWith('hvs.'))).toBe(true);
    } finally {
      handle.stop();
      handle.stop();
    }
  });

  it('logs in again with AppRole when renewal fails, then renews the new token', async () => {
    const secrets = await readSecrets({
      VAULT_ADDR: vault.url,
      VAULT_ROLE_ID: 'role-r',
      VAULT_SECRET_ID: 'secret-renewal-1',
    });
    const c = collect();
    vault.failRenewals(true);
    const handle = secrets.startRenewal(c.options);
    try {
      await c.next('login');
      expect(c.errors[0]?.message).toMatch(/Vault denied renewing the token \(logging in again\): check the policy/);
      vault.failRenewals(false);
      await c.next('renew');
      const logins = vault.requests.filter((r) => r.path === '/v1/auth/approle/login');
      const lastRenew = vault.requests.filter((r) => r.path === '/v1/auth/token/renew-self').at(-1);
      const lastLoginAt = logins.at(-1)!.at;
      expect(lastRenew!.at).toBeGreaterThan(lastLoginAt);
    } finally {
      vault.failRenewals(false);
      handle.stop();
    }
  });

  it('does not renew a token that never expires, and stops cleanly', async () => {
    const root = vault.addToken(['reader'], 0);
    const secrets = await readSecrets({ VAULT_ADDR: vault.url, VAULT_TOKEN: root });
    const c = collect();
    const handle = secrets.startRenewal(c.options);
    await new Promise((r) => setTimeout(r, 300));
    handle.stop();
    expect(c.events).toEqual([]);
    expect(vault.requests.filter((r) => r.token === root).map((r) => r.path)).toEqual([
      `/v1/${PATH}`,
      '/v1/auth/token/lookup-self',
    ]);
  });

  it('looks up the lease of a VAULT_TOKEN and renews it', async () => {
    const token = vault.addToken(['reader'], 1);
    const secrets = await readSecrets({ VAULT_ADDR: vault.url, VAULT_TOKEN: token });
    const c = collect();
    const handle = secrets.startRenewal(c.options);
    try {
      expect((await c.next('renew')).leaseSeconds).toBe(1);
    } finally {
      handle.stop();
    }
  });
});
