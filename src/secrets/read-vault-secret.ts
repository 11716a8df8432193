import { registerSecret } from '../log/redact-text.js';
import { describeVaultError } from './describe-vault-error.js';
import type { VaultSession } from './open-vault-session.js';

interface KvReply {
  data?: { data?: unknown; metadata?: unknown } & Record<string, unknown>;
}

/**
 * Reads one secret document and returns its string values. KV v2 answers
 * `{data:{data:{…}, metadata:{…}}}`; a KV v1 mount answers `{data:{…}}`, accepted too so a
 * path without `/data/` on a v1 mount still works. Every value is registered for masking
 * before anything else sees it, including keys infracrew does not use.
 */
export async function readVaultSecret(session: VaultSession, path: string): Promise<Record<string, string>> {
  let reply: KvReply;
  try {
    reply = (await session.client.read(path)) as KvReply;
  } catch (err) {
    throw describeVaultError(err, `reading ${path}`, session.addr);
  }
  const outer = reply.data ?? {};
  const isV2 = typeof outer.data === 'object' && outer.data !== null && 'metadata' in outer;
  const doc = (isV2 ? outer.data : outer) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(doc)) {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') continue;
    out[key] = String(value);
    registerSecret(out[key]);
  }
  return out;
}
