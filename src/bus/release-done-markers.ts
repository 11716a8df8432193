import type { Redis } from 'ioredis';
import { doneHead } from '../redis/keys.js';
import { escapeGlob, scanKeys } from '../redis/scan-keys.js';

const CHUNK = 500;

/**
 * Removes the done markers of plans that have left Redis: nothing of theirs is delivered again,
 * so the markers that dedupe their artifacts have nothing left to guard (their TTL would take
 * them only after the dedupe window, days later). One SCAN of the markers per call, however
 * many plans. Returns how many were removed.
 */
export async function releaseDoneMarkers(redis: Redis, prefix: string, planIds: ReadonlySet<string>): Promise<number> {
  if (planIds.size === 0) return 0;
  const head = doneHead(prefix);
  const gone = (await scanKeys(redis, `${escapeGlob(head)}*`)).filter((k) =>
    planIds.has(k.slice(head.length).split(':', 1)[0] ?? ''),
  );
  // One hash tag ({stream}): a multi-key UNLINK per chunk, on a Cluster too.
  for (let i = 0; i < gone.length; i += CHUNK) await redis.unlink(...gone.slice(i, i + CHUNK));
  return gone.length;
}
