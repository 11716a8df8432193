import type { Redis } from 'ioredis';
import { appliedMarkerKey } from '../redis/keys.js';

/**
 * Forge's "applied" marker: the sha256 of the plan file it applied for a plan, written only
 * after Terraform finished, so a redelivered ApplyRequest is answered without applying twice.
 */
export class AppliedMarkerStore {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(options: { redis: Redis; prefix?: string }) {
    this.redis = options.redis;
    this.prefix = options.prefix ?? 'crew';
  }

  /** The sha256 applied for `planId`, if any. */
  async applied(planId: string): Promise<string | undefined> {
    return (await this.redis.get(appliedMarkerKey(this.prefix, planId))) ?? undefined;
  }

  async markApplied(planId: string, planSha256: string): Promise<void> {
    await this.redis.set(appliedMarkerKey(this.prefix, planId), planSha256);
  }
}
