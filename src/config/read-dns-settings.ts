import { CrewError } from '../errors.js';
import { registerSecret } from '../log/redact-text.js';
import type { EnvSource } from './read-env-values.js';

/** A TSIG key as named.conf knows it (`tsig-keygen` output); the secret is base64. */
export interface DnsTsigKey {
  name: string;
  algorithm: string;
  secret: string;
}

/** The BIND server the dns target changes records on. */
export interface DnsTarget {
  host: string;
  port: number;
  /** Signs updates and queries; without it the server must allow unsigned updates. */
  tsig?: DnsTsigKey;
  /** When set, only records inside this zone may be changed. */
  zone?: string;
}

export const TSIG_ALGORITHMS = [
  'hmac-md5',
  'hmac-sha1',
  'hmac-sha224',
  'hmac-sha256',
  'hmac-sha384',
  'hmac-sha512',
] as const;

const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const IPV6 = /^[0-9A-Fa-f:.]+$/;
const KEY_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,251}[A-Za-z0-9])?\.?$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function fail(message: string): never {
  throw new CrewError('CREW_ERR_CONFIG', message);
}

/** `host`, `host:port`, `[v6]:port` or a bare IPv6 address; port 53 when absent. */
function parseServer(text: string): { host: string; port: number } {
  let host = text;
  let port = '53';
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) {
    host = bracketed[1] ?? '';
    port = bracketed[2] ?? port;
  } else if ((text.match(/:/g) ?? []).length === 1) {
    [host = '', port = ''] = text.split(':');
  }
  const n = Number(port);
  if (!/^\d+$/.test(port) || n < 1 || n > 65535) fail(`CREW_DNS_SERVER ${text}: port must be 1-65535`);
  const v6 = host.includes(':');
  if (!(v6 ? IPV6.test(host) : HOST.test(host))) fail(`CREW_DNS_SERVER ${text}: not a host name or IP address`);
  return { host, port: n };
}

/**
 * The dns target from the environment, or undefined when CREW_DNS_SERVER is not set.
 * CREW_DNS_SERVER host[:port], CREW_DNS_TSIG_NAME, CREW_DNS_TSIG_ALGORITHM (hmac-sha256),
 * CREW_DNS_TSIG_SECRET (from `secrets`: Vault, else the environment). (CREW_DNS_ZONE stays
 * Atlas's default zone, not a restriction.)
 */
export function readDnsTarget(env: EnvSource, secrets: EnvSource = env): Readonly<DnsTarget> | undefined {
  const server = env.CREW_DNS_SERVER?.trim();
  if (!server) return undefined;
  const target: DnsTarget = parseServer(server);
  const name = env.CREW_DNS_TSIG_NAME?.trim();
  const secret = secrets.CREW_DNS_TSIG_SECRET?.trim();
  if (secret || name) {
    if (!name || !secret) fail('CREW_DNS_TSIG_NAME and CREW_DNS_TSIG_SECRET go together: set both or neither');
    const algorithm = (env.CREW_DNS_TSIG_ALGORITHM?.trim() || 'hmac-sha256').toLowerCase();
    if (!KEY_NAME.test(name)) fail(`CREW_DNS_TSIG_NAME ${name}: not a key name`);
    if (!(TSIG_ALGORITHMS as readonly string[]).includes(algorithm))
      fail(`CREW_DNS_TSIG_ALGORITHM ${algorithm}: use one of ${TSIG_ALGORITHMS.join(', ')}`);
    if (!BASE64.test(secret)) fail('CREW_DNS_TSIG_SECRET is not base64 (use the secret "…" value from tsig-keygen)');
    registerSecret(secret);
    target.tsig = Object.freeze({ name, algorithm, secret });
  }
  return Object.freeze(target);
}
