import type { OpenPlan } from '../store/open-plans.js';
import type { Redis } from 'ioredis';
import { HeartbeatStore } from '../store/heartbeat-store.js';
import type { PlanStore } from '../store/plan-store.js';
import { makeArtifact, type ArtifactBus } from '../bus/artifact-bus.js';
import { RESTING_STATES } from '../plan/plan-states.js';

export interface WatchCrewOptions {
  bus: ArtifactBus;
  plans: PlanStore;
  redis: Redis;
  prefix?: string;
  now: () => Date;
  /** A plan in a working state this long is flagged (default 30 min). */
  stuckAfterMs: number;
  /** An agent whose newest heartbeat is this old is reported (default 2 min). */
  staleAfterMs: number;
  /** The active plans as the caller read them (the sweep reads them once for all its checks). */
  active?: readonly OpenPlan[];
}

/** Envelope plan id for events that belong to the crew rather than to one plan. */
export const CREW_EVENT_PLAN_ID = 'crew-ops';

/**
 * Flags what a person should look at: agents that stopped beating and plans stuck in one
 * state. Event ids derive from what they report, so each episode is reported once.
 */
export async function watchCrew(o: WatchCrewOptions): Promise<void> {
  const now = o.now().getTime();
  const newest = new Map<string, { instance: string; lastSeen: number }>();
  for (const hb of await new HeartbeatStore({ redis: o.redis, prefix: o.prefix ?? 'crew' }).readAll()) {
    const seen = newest.get(hb.agent);
    if (!seen || hb.lastSeen > seen.lastSeen) newest.set(hb.agent, { instance: hb.instance, lastSeen: hb.lastSeen });
  }
  for (const [agent, hb] of newest) {
    if (now - hb.lastSeen * 1000 <= o.staleAfterMs) continue;
    const since = new Date(hb.lastSeen * 1000).toISOString();
    const detail = `agent ${agent} has been silent since ${since} (last instance ${hb.instance}); plans waiting for it will not move`;
    await o.bus.publish(
      'ops.event',
      makeArtifact(
        'OpsEvent',
        CREW_EVENT_PLAN_ID,
        { kind: 'heartbeat', agent, detail },
        { producer: 'conductor', cause: `stale:${agent}:${hb.lastSeen}` },
      ),
    );
  }
  for (const plan of o.active ?? (await o.plans.openPlans())) {
    if (RESTING_STATES.has(plan.state) || plan.queuedBehind !== undefined) continue;
    const idleMs = now - Date.parse(plan.updatedAt);
    if (idleMs <= o.stuckAfterMs) continue;
    const detail = `plan ${plan.id} has been ${plan.state} for ${Math.round(idleMs / 60_000)} min; check the agents (crew status ${plan.id})`;
    await o.bus.publish(
      'ops.event',
      makeArtifact(
        'OpsEvent',
        plan.id,
        { kind: 'stuck', detail, ...(plan.stack ? { stack: plan.stack } : {}) },
        { producer: 'conductor', cause: `stuck:${plan.id}:${plan.updatedAt}` },
      ),
    );
  }
}
