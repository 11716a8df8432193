import type { Redis } from 'ioredis';
import { isOpen, type PlanState } from '../plan/plan-states.js';
import type { PlanRecord } from '../plan/plan-record.js';
import { activePlansKey, planKey } from '../redis/keys.js';
import { readIndexed } from './read-indexed.js';

/**
 * What the Conductor's sweep judges an open plan by: its state, stack and times. The sweep reads
 * the whole record only of a plan it acts on (a goal or build to send again, a rollback to
 * dispatch), so a sweep over plans waiting for approval does not decode their specs, reviews and
 * plan files.
 */
export type OpenPlan = Pick<PlanRecord, 'id' | 'state' | 'createdAt' | 'updatedAt'> &
  Partial<Pick<PlanRecord, 'stack' | 'expiresAt' | 'queuedBehind'>>;

const FIELDS = ['id', 'state', 'createdAt', 'updatedAt', 'stack', 'expiresAt', 'queuedBehind'] as const;

/**
 * The open plans (neither DONE nor ended) as OpenPlan, all asked for at once. Members of the
 * index whose record is gone or closed (a crash between a move and the index's update) are
 * dropped from it here.
 */
export function readOpenPlans(redis: Redis, prefix: string): Promise<OpenPlan[]> {
  return readIndexed(redis, activePlansKey(prefix), async (member) => {
    const [id, state, createdAt, updatedAt, stack, expiresAt, queuedBehind] = await redis.hmget(
      planKey(prefix, member),
      ...FIELDS,
    );
    if (!id || !state || !createdAt || !updatedAt || !isOpen(state as PlanState)) return undefined;
    return {
      id,
      state: state as PlanState,
      createdAt,
      updatedAt,
      ...(stack != null ? { stack } : {}),
      ...(expiresAt != null ? { expiresAt } : {}),
      ...(queuedBehind != null ? { queuedBehind } : {}),
    };
  });
}
