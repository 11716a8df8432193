import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/*
 * A Vault stand-in on 127.0.0.1 that speaks the slice of Vault's HTTP API infracrew uses,
 * shaped like Vault 1.x answers: X-Vault-Token checked on every call but the login,
 * `{"errors":[...]}` bodies, 403 "permission denied" for a bad token or a missing policy,
 * 404 `{"errors":[]}` for a KV path with nothing in it.
 */

interface TokenInfo {
  policies: string[];
  leaseSeconds: number;
  renewable: boolean;
  issuedAt: number;
}

export interface VaultRequest {
  method: string;
  path: string;
  token: string | undefined;
  at: number;
}

export interface VaultStandInOptions {
  /** KV v2 documents by API path (e.g. `secret/data/infracrew`). */
  secrets?: Record<string, Record<string, string>>;
  /**
   * Dynamic secrets by API path (e.g. `aws/creds/deploy`): a function called for each read,
   * answered as Vault's secrets engines answer (`data` with a lease), not as a KV document.
   */
  dynamic?: Record<string, () => Record<string, string>>;
  /** Policy name → API paths it may read. */
  policies?: Record<string, string[]>;
  approle?: { roleId: string; secretId: string; policies: string[]; leaseSeconds: number };
}

export interface VaultStandIn {
  url: string;
  requests: VaultRequest[];
  /** Issues a token as `vault token create` would. */
  addToken(policies: string[], leaseSeconds?: number, renewable?: boolean): string;
  /** Makes renew-self fail with 403, as for a token past its max TTL. */
  failRenewals(fail: boolean): void;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(body === undefined ? '' : JSON.stringify(body));
}

function envelope(extra: Record<string, unknown>): Record<string, unknown> {
  return {
    request_id: randomUUID(),
    lease_id: '',
    renewable: false,
    lease_duration: 0,
    data: null,
    wrap_info: null,
    warnings: null,
    auth: null,
    ...extra,
  };
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
}

export async function startVaultStandIn(options: VaultStandInOptions = {}): Promise<VaultStandIn> {
  const tokens = new Map<string, TokenInfo>();
  const requests: VaultRequest[] = [];
  const policies = options.policies ?? {};
  let renewalsFail = false;

  const issue = (policyNames: string[], leaseSeconds: number, renewable: boolean): string => {
    const token = `hvs.${randomBytes(18).toString('base64url')}`;
    tokens.set(token, { policies: policyNames, leaseSeconds, renewable, issuedAt: Date.now() });
    return token;
  };
  const live = (token: string | undefined): TokenInfo | undefined => {
    const info = token ? tokens.get(token) : undefined;
    if (!info) return undefined;
    const expired = info.leaseSeconds > 0 && Date.now() > info.issuedAt + info.leaseSeconds * 1000;
    return expired ? undefined : info;
  };
  const authBody = (token: string, info: TokenInfo) => ({
    client_token: token,
    accessor: randomBytes(12).toString('hex'),
    policies: ['default', ...info.policies],
    token_policies: ['default', ...info.policies],
    metadata: null,
    lease_duration: info.leaseSeconds,
    renewable: info.renewable,
    token_type: 'service',
    orphan: true,
  });

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    const tokenHeader = req.headers['x-vault-token'];
    const token = typeof tokenHeader === 'string' ? tokenHeader : undefined;
    requests.push({ method: req.method ?? '', path, token, at: Date.now() });
    const denied = () => send(res, 403, { errors: ['permission denied'] });

    if (req.method === 'POST' && path === '/v1/auth/approle/login') {
      const body = await readJson(req);
      const role = options.approle;
      if (!role || body.role_id !== role.roleId || body.secret_id !== role.secretId) {
        return send(res, 400, { errors: ['invalid role or secret ID'] });
      }
      const t = issue(role.policies, role.leaseSeconds, true);
      return send(res, 200, envelope({ auth: authBody(t, tokens.get(t)!) }));
    }
    const info = live(token);
    if (!info || !token) return denied();
    if (req.method === 'POST' && path === '/v1/auth/token/renew-self') {
      await readJson(req);
      if (renewalsFail) return denied();
      if (!info.renewable) return send(res, 400, { errors: ['lease is not renewable'] });
      info.issuedAt = Date.now();
      return send(res, 200, envelope({ auth: authBody(token, info) }));
    }
    if (req.method === 'GET' && path === '/v1/auth/token/lookup-self') {
      const ttl =
        info.leaseSeconds === 0 ? 0 : Math.max(0, Math.round(info.leaseSeconds - (Date.now() - info.issuedAt) / 1000));
      return send(
        res,
        200,
        envelope({
          data: { id: token, policies: ['default', ...info.policies], ttl, renewable: info.renewable, type: 'service' },
        }),
      );
    }
    if (req.method === 'GET' && path.startsWith('/v1/')) {
      const apiPath = path.slice('/v1/'.length);
      const allowed = info.policies.some((p) => (policies[p] ?? []).includes(apiPath));
      if (!allowed) return denied();
      const issueDynamic = options.dynamic?.[apiPath];
      if (issueDynamic)
        return send(
          res,
          200,
          envelope({
            lease_id: `${apiPath}/${randomUUID()}`,
            lease_duration: 900,
            renewable: true,
            data: issueDynamic(),
          }),
        );
      const doc = options.secrets?.[apiPath];
      if (!doc) return send(res, 404, { errors: [] });
      return send(
        res,
        200,
        envelope({
          data: {
            data: doc,
            metadata: {
              version: 1,
              created_time: '2026-11-01T10:00:00.000000Z',
              deletion_time: '',
              destroyed: false,
              custom_metadata: null,
            },
          },
        }),
      );
    }
    return send(res, 404, { errors: [] });
  };

  const server = createServer((req, res) => {
    route(req, res).catch(() => send(res, 500, { errors: ['internal error'] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    addToken: (p, leaseSeconds = 0, renewable = true) => issue(p, leaseSeconds, renewable),
    failRenewals: (fail) => (renewalsFail = fail),
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
