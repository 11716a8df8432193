import type { Redis } from 'ioredis';
import { artifactKey } from '../redis/keys.js';
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

/** The artifact store without a database: bytes in Redis by sha256, kept for ARTIFACT_TTL_MS. */
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
    await this.redis.set(artifactKey(this.prefix, sha256), bytes, 'PX', this.ttlMs);
    return sha256;
  }

  async get(sha256: string): Promise<Buffer | undefined> {
    const bytes = await this.redis.getBuffer(artifactKey(this.prefix, sha256));
    return bytes ? checkArtifactBytes(sha256, bytes) : undefined;
  }
}
