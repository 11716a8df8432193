import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/log/create-logger.js';
import { readSecrets } from '../../../src/secrets/read-secrets.js';
import { startVaultStandIn, type VaultStandIn } from '../../support/vault-stand-in.js';

// A value no pattern in redact-text.ts recognises: only registerSecret() can mask it.
const CANARY = `canary-${randomBytes(12).toString('hex')}`;
let vault: VaultStandIn;

beforeAll(async () => {
  vault = await startVaultStandIn({
    secrets: { 'secret/data/infracrew': { CREW_DNS_TSIG_SECRET: CANARY } },
    policies: { reader: ['secret/data/infracrew'] },
  });
});
afterAll(async () => vault.close());

async function logThrough(write: (log: ReturnType<typeof createLogger>) => void): Promise<string> {
  const sink = new PassThrough();
  let out = '';
  sink.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const log = createLogger({ destination: sink, level: 'debug' });
  write(log);
  log.flush();
  await new Promise((r) => setImmediate(r));
  return out;
}

describe('secret canary', () => {
  it('reads the canary from Vault', async () => {
    const secrets = await readSecrets({ VAULT_ADDR: vault.url, VAULT_TOKEN: vault.addToken(['reader']) });
    expect(secrets.values.CREW_DNS_TSIG_SECRET).toBe(CANARY);
    expect(secrets.sources.CREW_DNS_TSIG_SECRET).toBe('vault');
  });

  it('never reaches the log in free text', async () => {
    await readSecrets({ VAULT_ADDR: vault.url, VAULT_TOKEN: vault.addToken(['reader']) });
    const out = await logThrough((log) => {
      log.info(`nsupdate with key ${CANARY} failed`);
      log.warn({ stack: 'dns' }, `tsig=${CANARY}`);
      log.info('format %s', CANARY);
    });
    expect(out).toContain('nsupdate with key [redacted] failed');
    expect(out).not.toContain(CANARY);
  });

  it('never reaches the log inside an object', async () => {
    await readSecrets({ VAULT_ADDR: vault.url, VAULT_TOKEN: vault.addToken(['reader']) });
    const out = await logThrough((log) => {
      log.info(
        { dns: { zone: 'local', tsig: CANARY }, args: ['-y', `hmac-sha256:crew:${CANARY}`] },
        'running nsupdate',
      );
    });
    expect(out).toContain('running nsupdate');
    expect(out).not.toContain(CANARY);
  });

  it('never reaches the log inside an error', async () => {
    await readSecrets({ VAULT_ADDR: vault.url, VAULT_TOKEN: vault.addToken(['reader']) });
    const out = await logThrough((log) =>
      log.error({ err: new Error(`nsupdate: bad key ${CANARY}`) }, 'dns change failed'),
    );
    expect(out).toContain('dns change failed');
    expect(out).not.toContain(CANARY);
  });
});
