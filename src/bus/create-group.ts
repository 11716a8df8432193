import type { Redis } from 'ioredis';
import { errorMessage } from '../errors.js';

/**
 * Creates a consumer group on a stream (and the stream) unless it exists. From '0', so entries
 * published before the group's first consumer are not skipped.
 */
export async function createGroup(redis: Redis, stream: string, group: string): Promise<void> {
  try {
    await redis.call('XGROUP', 'CREATE', stream, group, '0', 'MKSTREAM');
  } catch (err) {
    if (!errorMessage(err).startsWith('BUSYGROUP')) throw err;
  }
}
