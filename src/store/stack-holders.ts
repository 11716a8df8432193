import type { Redis } from 'ioredis';
import { LOCKING_STATES, type PlanState } from '../plan/plan-states.js';
import type { PlanRecord } from '../plan/plan-record.js';
import { planKey, stackHoldersKey, stackHoldersReadyKey } from '../redis/keys.js';
import { readOpenPlans } from './open-plans.js';
import { readIndexed } from './read-indexed.js';

// Which plans hold a stack, for the stack lock when its lease has lapsed. PlanStore.advance lists
// a plan in its stack's holder set before it enters a locking state and removes it after it
// leaves them; this reads the set, so the question costs the same however many plans are open on
// other stacks.

/** A holder as the lock judges it: only the fields that say whether it holds the stack. */
export type StackHolder = Pick<PlanRecord, 'id' | 'state' | 'queuedBehind'>;

/**
 * The plans listed as holders of `stack` that are still in a locking state on it. Members that
 * are not (a crash between a move and the set's update, a record expired) are dropped here. The
 * first reader on a crew whose plans were admitted before the sets existed builds them first.
 */
export async function readStackHolders(redis: Redis, prefix: string, stack: string): Promise<StackHolder[]> {
  if (!(await redis.exists(stackHoldersReadyKey(prefix)))) await indexHolders(redis, prefix);
  return readIndexed(redis, stackHoldersKey(prefix, stack), async (member) => {
    const [id, state, onStack, queuedBehind] = await redis.hmget(
      planKey(prefix, member),
      'id',
      'state',
      'stack',
      'queuedBehind',
    );
    if (!id || !state || onStack !== stack || !LOCKING_STATES.has(state as PlanState)) return undefined;
    return { id, state: state as PlanState, ...(queuedBehind != null ? { queuedBehind } : {}) };
  });
}

/** Lists every open plan in a locking state in its stack's holder set, then marks the sets complete. */
async function indexHolders(redis: Redis, prefix: string): Promise<void> {
  const open = await readOpenPlans(redis, prefix);
  await Promise.all(
    open.map((p) =>
      p.stack && LOCKING_STATES.has(p.state) ? redis.sadd(stackHoldersKey(prefix, p.stack), p.id) : undefined,
    ),
  );
  await redis.set(stackHoldersReadyKey(prefix), '1');
}
