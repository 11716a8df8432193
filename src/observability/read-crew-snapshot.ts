import type { Redis } from 'ioredis';
import { countDeadLetters, streamStats, type StreamStats } from '../bus/stream-stats.js';
import type { PlanState } from '../plan/plan-states.js';
import { readHeartbeats, type Heartbeat } from './heartbeat.js';

/** What a metrics scrape needs from Redis, read in one go. */
export interface CrewSnapshot {
  streams: StreamStats[];
  heartbeats: Heartbeat[];
  /** Plans that have not ended, counted by state. */
  activePlans: Map<PlanState, number>;
  deadLetters: number;
}

/** The part of PlanStore the metrics read; a narrow type keeps the store swappable in tests. */
export interface ActivePlanSource {
  active(): Promise<ReadonlyArray<{ state: PlanState }>>;
}

export async function readCrewSnapshot(redis: Redis, prefix: string, plans: ActivePlanSource): Promise<CrewSnapshot> {
  // Each read starts inside an async function: a synchronous throw becomes a rejection that
  // Promise.all handles, instead of leaving the reads already started unobserved.
  const [streams, heartbeats, active, deadLetters] = await Promise.all([
    (async () => streamStats(redis, prefix))(),
    (async () => readHeartbeats(redis, prefix))(),
    (async () => plans.active())(),
    (async () => countDeadLetters(redis, prefix))(),
  ]);
  const activePlans = new Map<PlanState, number>();
  for (const p of active) activePlans.set(p.state, (activePlans.get(p.state) ?? 0) + 1);
  return { streams, heartbeats, activePlans, deadLetters: Number(deadLetters) };
}
