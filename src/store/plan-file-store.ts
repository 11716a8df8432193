import type { Redis } from 'ioredis';
import { planFileKey } from '../redis/keys.js';
import { sha256Hex } from '../util/new-id.js';

/** Longer than the longest approval window (7 days), so an approved plan file is always there. */
export const PLAN_FILE_TTL_MS = 8 * 24 * 3600_000;

/**
 * The saved plan files' bytes, beside the plan record: a Forge whose data dir never held the
 * file (another host, a restarted container) applies exactly the approved bytes. A file is
 * found by its sha256 and checked against it on the way out.
 */
export class PlanFileStore {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(options: { redis: Redis; prefix?: string }) {
    this.redis = options.redis;
    this.prefix = options.prefix ?? 'crew';
  }

  async save(planId: string, bytes: Buffer, ttlMs = PLAN_FILE_TTL_MS): Promise<string> {
    const sha256 = sha256Hex(bytes);
    await this.redis.set(planFileKey(this.prefix, planId, sha256), bytes, 'PX', ttlMs);
    return sha256;
  }

  /** The file with this sha256, or undefined when it was never saved, expired, or does not match. */
  async load(planId: string, sha256: string): Promise<Buffer | undefined> {
    const bytes = await this.redis.getBuffer(planFileKey(this.prefix, planId, sha256));
    return bytes && sha256Hex(bytes) === sha256 ? bytes : undefined;
  }
}
