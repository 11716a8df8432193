import type { PlanState } from '../plan/plan-states.js';
import type { PlanRecord } from '../plan/plan-record.js';
import type { DecisionOutcome, PlanStore } from '../store/plan-store.js';
import { CrewError } from '../errors.js';

/** Without a notification (one lost while reconnecting), the plan is read again after this long. */
const FALLBACK_READ_MS = 1_000;

/**
 * Reads `read` each time the plan announces a change (and, as a safety net, every
 * `fallbackMs`) until it returns a value; throws `timeout()` once the deadline passes. A move
 * to a state `worthReading` says is not worth it wakes nothing. `read` is told the state the
 * move that woke it announced (undefined on the first read, a timer's or a change that is not a move).
 */
async function untilChanged<T>(
  plans: Pick<PlanStore, 'watch'>,
  planId: string,
  read: (movedTo: PlanState | undefined) => Promise<T | undefined>,
  o: {
    timeoutMs: number;
    fallbackMs?: number;
    timeout: () => Promise<Error>;
    worthReading?: (movedTo: PlanState) => boolean;
  },
): Promise<T> {
  const deadline = Date.now() + o.timeoutMs;
  let changed = false;
  let announced: PlanState | undefined;
  let wake = () => {};
  const stopWatching = await plans.watch(planId, (movedTo) => {
    if (movedTo && o.worthReading && !o.worthReading(movedTo)) return;
    // Two changes before a read: only the last one's state is worth believing, and only a move says one.
    announced = changed ? undefined : movedTo;
    changed = true;
    wake();
  });
  try {
    for (;;) {
      const movedTo = changed ? announced : undefined;
      changed = false;
      announced = undefined;
      const value = await read(movedTo);
      if (value !== undefined) return value;
      const left = deadline - Date.now();
      if (left < 0) throw await o.timeout();
      if (changed) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(o.fallbackMs ?? FALLBACK_READ_MS, left + 1));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = () => {};
    }
  } finally {
    await stopWatching();
  }
}

/** Waits for a plan to reach one of `states` (or `stop` says so), or the timeout to pass: woken by the plan's changes, not a poll. */
export async function waitForPlan(
  plans: Pick<PlanStore, 'get' | 'state' | 'watch'>,
  planId: string,
  states: readonly PlanState[],
  options: { timeoutMs: number; fallbackMs?: number; stop?: (p: PlanRecord) => Promise<boolean> },
): Promise<PlanRecord> {
  let last: Pick<PlanRecord, 'state'> | undefined;
  const missing = () => new CrewError('CREW_ERR_NOT_FOUND', `no plan with id ${planId}`);
  return untilChanged(
    plans,
    planId,
    async (movedTo) => {
      // Without `stop`, each change costs a read of the state alone; the whole record is read
      // once the plan is in one of `states` (at once when a move into one of them woke this read).
      if (!options.stop && !(movedTo && states.includes(movedTo))) {
        const state = await plans.state(planId);
        if (state === undefined) throw missing();
        last = { state };
        if (!states.includes(state)) return undefined;
      }
      const plan = await plans.get(planId);
      if (!plan) throw missing();
      last = plan;
      if (states.includes(plan.state)) return plan;
      if (options.stop && (await options.stop(plan))) return plan;
      return undefined;
    },
    {
      timeoutMs: options.timeoutMs,
      ...(options.fallbackMs ? { fallbackMs: options.fallbackMs } : {}),
      // Without `stop`, a move to a state not waited for is not read at all (every move announces
      // its state; changes that are not moves announce none and are read).
      ...(options.stop ? {} : { worthReading: (movedTo: PlanState) => states.includes(movedTo) }),
      timeout: async () =>
        new CrewError(
          'CREW_ERR_TIMEOUT',
          `plan ${planId} is still ${last?.state} after ${Math.round(options.timeoutMs / 1000)} s; \`crew wait ${planId}\` picks it up again`,
        ),
    },
  );
}

/** Waits until the Conductor has recorded what became of one decision, or the timeout passes. */
export async function waitForDecision(
  plans: PlanStore,
  planId: string,
  decisionId: string,
  options: { timeoutMs: number; fallbackMs?: number },
): Promise<DecisionOutcome> {
  return untilChanged(plans, planId, () => plans.decisionOutcome(planId, decisionId), {
    timeoutMs: options.timeoutMs,
    ...(options.fallbackMs ? { fallbackMs: options.fallbackMs } : {}),
    timeout: async () =>
      new CrewError(
        'CREW_ERR_TIMEOUT',
        `the crew has not judged the decision on plan ${planId} after ${Math.round(options.timeoutMs / 1000)} s; \`crew status ${planId}\` shows where it is`,
      ),
  });
}
