import type { Redis } from 'ioredis';
import type { AccessPolicy } from '../access/access-policy.js';
import { isQuorumRules } from '../access/approval-rules.js';
import { CrewError } from '../errors.js';
import { accessPolicyKey } from '../redis/keys.js';

function isStringRecord(v: unknown): v is Record<string, string> {
  return (
    typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string')
  );
}

function isAuthzSettings(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return false;
  const a = v as Record<string, unknown>;
  const cedar = a.cedar as Record<string, unknown> | undefined;
  const groups = a.groups as Record<string, unknown> | undefined;
  return (
    (cedar === undefined || (typeof cedar.text === 'string' && typeof cedar.source === 'string')) &&
    (a.opaUrl === undefined || typeof a.opaUrl === 'string') &&
    (groups === undefined ||
      (typeof groups === 'object' &&
        Object.values(groups).every((m) => Array.isArray(m) && m.every((x) => typeof x === 'string'))))
  );
}

/** Parses a stored policy; anything else is an operational error (fail closed, never "anyone"). */
export function parseAccessPolicy(text: string): AccessPolicy {
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new CrewError(
      'CREW_ERR_CONFIG',
      "the crew's stored access policy is not JSON; restart crew serve or crew worker to publish it again",
    );
  }
  const ok =
    typeof v === 'object' &&
    v !== null &&
    Array.isArray(v.approvers) &&
    v.approvers.every((a) => typeof a === 'string') &&
    typeof v.allowSelfApproval === 'boolean' &&
    typeof v.approvalTtlMs === 'number' &&
    Number.isFinite(v.approvalTtlMs) &&
    v.approvalTtlMs > 0 &&
    typeof v.strictIdentity === 'boolean' &&
    isStringRecord(v.identityMap) &&
    typeof v.setBy === 'string' &&
    typeof v.setAt === 'string' &&
    (v.source === 'operator' || v.source === 'first-process') &&
    (v.quorum === undefined || isQuorumRules(v.quorum)) &&
    (v.authz === undefined || isAuthzSettings(v.authz));
  if (!ok)
    throw new CrewError(
      'CREW_ERR_CONFIG',
      "the crew's stored access policy is malformed; restart crew serve or crew worker to publish it again",
    );
  return v as unknown as AccessPolicy;
}

/** The crew's access policy in Redis: one key, written whole, read by every Conductor and surface. */
export class AccessPolicyStore {
  private readonly redis: Redis;
  private readonly key: string;
  private readonly fallback?: () => AccessPolicy;

  /** `fallback`: the rules this process would set if none are stored yet (e.g. after Redis lost its data). */
  constructor(options: { redis: Redis; prefix?: string; fallback?: () => AccessPolicy }) {
    this.redis = options.redis;
    this.key = accessPolicyKey(options.prefix ?? 'crew');
    if (options.fallback) this.fallback = options.fallback;
  }

  /** The rules in force now. Read on every decision, so a change reaches every process at once. */
  async current(): Promise<AccessPolicy> {
    const stored = await this.read();
    if (stored) return stored;
    if (!this.fallback)
      throw new CrewError(
        'CREW_ERR_CONFIG',
        'no access policy is stored for this crew; start crew serve or crew worker',
      );
    return this.establish(this.fallback());
  }

  async read(): Promise<AccessPolicy | undefined> {
    const text = await this.redis.get(this.key);
    return text === null ? undefined : parseAccessPolicy(text);
  }

  /** Stores `policy` only if no policy is stored yet; returns the one in force either way. */
  async establish(policy: AccessPolicy): Promise<AccessPolicy> {
    const set = await this.redis.set(this.key, JSON.stringify(policy), 'NX');
    if (set === 'OK') return policy;
    return (await this.read()) ?? this.establish(policy);
  }

  /** Replaces the stored policy (operator processes only); returns the one it replaced. */
  async publish(policy: AccessPolicy): Promise<AccessPolicy | undefined> {
    const before = await this.redis.set(this.key, JSON.stringify(policy), 'GET');
    if (before === null) return undefined;
    try {
      return parseAccessPolicy(before);
    } catch {
      return undefined;
    }
  }
}
