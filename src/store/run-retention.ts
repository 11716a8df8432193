import type { Redis } from 'ioredis';
import { releaseDoneMarkers } from '../bus/release-done-markers.js';
import { trimStreams } from '../bus/trim-streams.js';
import { isTerminal, type PlanState } from '../plan/plan-states.js';
import {
  activePlansKey,
  appliedMarkerKey,
  planApprovalsKey,
  planAuditKey,
  planDecisionsKey,
  planPolicyKey,
  planHistoryKey,
  planArtifactsKey,
  planIndexKey,
  planKey,
  planResentKey,
  stackKey,
} from '../redis/keys.js';
import { releasePlanArtifacts } from './redis-artifact-store.js';

export interface RetentionOptions {
  redis: Redis;
  prefix?: string;
  /** Stream entries older than this go (CREW_STREAM_RETENTION), unless still pending. */
  streamRetentionMs: number;
  /** Ended plans unchanged this long leave Redis (CREW_PLAN_RETENTION). */
  planRetentionMs: number;
  now?: () => Date;
}

export interface RetentionResult {
  trimmedEntries: number;
  expiredPlans: number;
}

const BATCH = 200;

/**
 * Removes the hot records of ended plans (ROLLED_BACK, BLOCKED, REJECTED, EXPIRED, FAILED)
 * last changed before the cutoff: the record, its history, refusals, decisions and approvals, the artifacts
 * it stored in Redis that no other plan refers to, and the bus's done markers of its artifacts. A plan that
 * has not ended (DONE included: it can still be rolled back) is never touched, nor the plan a
 * stack currently stands on. Their audit rows stay in PostgreSQL when the crew has one.
 */
export async function expirePlans(
  redis: Redis,
  o: { prefix?: string; retentionMs: number; now?: number },
): Promise<number> {
  const prefix = o.prefix ?? 'crew';
  const cutoff = (o.now ?? Date.now()) - o.retentionMs;
  const index = planIndexKey(prefix);
  let expired = 0;
  let offset = 0;
  // Plans that left Redis in this pass: their bus done markers go with them, in one scan at the end.
  const left = new Set<string>();
  for (;;) {
    // The index is scored by creation time: a plan created after the cutoff changed after it too.
    const ids = await redis.zrangebyscore(index, '-inf', cutoff, 'LIMIT', offset, BATCH);
    if (ids.length === 0) {
      await releaseDoneMarkers(redis, prefix, left);
      return expired;
    }
    let kept = 0;
    for (const id of ids) {
      const [state, updatedAt, stack] = await redis.hmget(planKey(prefix, id), 'state', 'updatedAt', 'stack');
      const gone = state === null;
      const ended = !gone && isTerminal(state as PlanState) && Date.parse(updatedAt ?? '') <= cutoff;
      const current = ended && stack ? (await redis.hget(stackKey(prefix, stack), 'currentPlan')) === id : false;
      if (!gone && (!ended || current)) {
        kept += 1;
        continue;
      }
      if (!gone) {
        // Artifacts first: the list of what the plan stored goes with the record below.
        await releasePlanArtifacts(redis, prefix, id);
        // One hash tag ({planId}): a single multi-key command, on a Cluster too.
        await redis.unlink(
          planKey(prefix, id),
          planHistoryKey(prefix, id),
          planAuditKey(prefix, id),
          planDecisionsKey(prefix, id),
          planPolicyKey(prefix, id),
          appliedMarkerKey(prefix, id),
          planArtifactsKey(prefix, id),
          planApprovalsKey(prefix, id),
          planResentKey(prefix, id, 'build'),
          planResentKey(prefix, id, 'goal'),
        );
        expired += 1;
      }
      left.add(id);
      await redis.zrem(index, id);
      await redis.srem(activePlansKey(prefix), id);
    }
    offset += kept;
  }
}

/** One retention pass: streams trimmed by age, ended plans' hot records expired. */
export async function runRetention(o: RetentionOptions): Promise<RetentionResult> {
  const now = (o.now?.() ?? new Date()).getTime();
  const prefix = o.prefix ?? 'crew';
  const trimmedEntries = await trimStreams(o.redis, { prefix, retentionMs: o.streamRetentionMs, now });
  const expiredPlans = await expirePlans(o.redis, { prefix, retentionMs: o.planRetentionMs, now });
  return { trimmedEntries, expiredPlans };
}
