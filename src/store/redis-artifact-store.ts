import type { Redis } from 'ioredis';
import { artifactKey, artifactRefsKey, planArtifactsKey } from '../redis/keys.js';
import { CrewError } from '../errors.js';
import { RELEASE_ARTIFACT } from '../redis/lua-scripts.js';
import { runScript } from '../redis/run-script.js';
import { sha256Hex } from '../util/new-id.js';
import { checkArtifactBytes, checkArtifactSize, type ArtifactKind, type ArtifactStore } from './artifact-store.js';

/** Longer than the longest approval window (7 days), so an approved plan file is always there. */
export const ARTIFACT_TTL_MS = 8 * 24 * 3600_000;

export interface RedisArtifactStoreOptions {
  redis: Redis;
  prefix?: string;
  ttlMs?: number;
  maxBytes?: number;
}

/**
 * The artifact store without a database: bytes in Redis by sha256, kept for ARTIFACT_TTL_MS, or
 * until retention expires the last plan that stored them (see releasePlanArtifacts).
 */
export class RedisArtifactStore implements ArtifactStore {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly ttlMs: number;
  private readonly maxBytes: number | undefined;

  constructor(options: RedisArtifactStoreOptions) {
    this.redis = options.redis;
    this.prefix = options.prefix ?? 'crew';
    this.ttlMs = options.ttlMs ?? ARTIFACT_TTL_MS;
    this.maxBytes = options.maxBytes;
  }

  async put(kind: ArtifactKind, planId: string, bytes: Buffer): Promise<string> {
    checkArtifactSize(kind, planId, bytes, this.maxBytes);
    const sha256 = sha256Hex(bytes);
    // The plan's list is sent first (retention finds every artifact a plan may have stored), and
    // the bytes without waiting for its reply: on one connection Redis runs them in that order.
    // Bytes whose listing failed are not lost track of: they expire with their TTL.
    const listed = this.redis.sadd(planArtifactsKey(this.prefix, planId), sha256);
    // One hash tag ({sha256}): the bytes and their referring plans in one step, on a Cluster too.
    const stored = this.redis
      .multi()
      .set(artifactKey(this.prefix, sha256), bytes, 'PX', this.ttlMs)
      .sadd(artifactRefsKey(this.prefix, sha256), planId)
      .pexpire(artifactRefsKey(this.prefix, sha256), this.ttlMs)
      .exec();
    const [, replies] = await Promise.all([listed, stored]);
    const err = replies?.find(([e]) => e)?.[0];
    if (!replies || err) throw err ?? new CrewError('CREW_ERR_REDIS', `storing ${kind} of plan ${planId} was aborted`);
    return sha256;
  }

  async get(sha256: string): Promise<Buffer | undefined> {
    const bytes = await this.redis.getBuffer(artifactKey(this.prefix, sha256));
    return bytes ? checkArtifactBytes(sha256, bytes) : undefined;
  }
}

/**
 * Retention's part for an expiring plan: each artifact it stored loses this plan as a referrer,
 * and the bytes go once no plan refers to them. Returns how many artifacts left Redis.
 */
export async function releasePlanArtifacts(redis: Redis, prefix: string, planId: string): Promise<number> {
  let removed = 0;
  for (const sha256 of await redis.smembers(planArtifactsKey(prefix, planId)))
    removed += Number(
      await runScript(
        redis,
        RELEASE_ARTIFACT,
        [artifactRefsKey(prefix, sha256), artifactKey(prefix, sha256)],
        [planId],
      ),
    );
  return removed;
}
