import type { Redis } from 'ioredis';
import { HeartbeatStore, type Heartbeat } from '../store/heartbeat-store.js';

export type { Heartbeat } from '../store/heartbeat-store.js';

/*
 * Agent heartbeats, read by the metrics scrape (key layout: src/redis/keys.ts).
 *
 * `agent` is a role (conductor, atlas, forge, sentinel, serve, …) and must not contain ':';
 * `instance` is whatever tells replicas apart (pod name, hostname:pid) and may. The key
 * outlives a dead instance by `ttlSeconds` (default one hour) so a stopped agent shows as
 * stale on the board instead of vanishing; alerts take the newest instance per agent, so a
 * replaced pod does not page.
 */

export interface HeartbeatOptions {
  agent: string;
  instance: string;
  intervalMs: number;
  prefix?: string;
  /** How long a silent instance's key stays readable. */
  ttlSeconds?: number;
  now?: () => number;
  /** A failed write is not fatal (Redis may be restarting); it is reported here. */
  onError?: (err: unknown) => void;
}

export interface HeartbeatHandle {
  /** Stops beating; waits for a write in flight. Safe to call twice. */
  stop(): Promise<void>;
}

export function startHeartbeat(redis: Redis, options: HeartbeatOptions): HeartbeatHandle {
  if (options.agent === '' || options.agent.includes(':'))
    throw new Error(`heartbeat agent "${options.agent}" must be non-empty and contain no ':'`);
  if (!(options.intervalMs > 0)) throw new Error('heartbeat intervalMs must be positive');
  const store = new HeartbeatStore({ redis, prefix: options.prefix ?? 'crew' });
  const ttl = Math.max(options.ttlSeconds ?? 3600, Math.ceil((options.intervalMs * 3) / 1000));
  const now = options.now ?? Date.now;
  let inFlight: Promise<void> | undefined;
  const beat = () => {
    inFlight ??= store
      .beat(options.agent, options.instance, now() / 1000, ttl)
      .then(
        () => undefined,
        (err: unknown) => options.onError?.(err),
      )
      .finally(() => (inFlight = undefined));
  };
  beat();
  const timer = setInterval(beat, options.intervalMs);
  timer.unref();
  let stopping: Promise<void> | undefined;
  return {
    stop: () => {
      stopping ??= (async () => {
        clearInterval(timer);
        await inFlight;
      })();
      return stopping;
    },
  };
}

/** Every heartbeat key under the prefix (SCAN, so a big keyspace is not blocked). */
export async function readHeartbeats(redis: Redis, prefix = 'crew'): Promise<Heartbeat[]> {
  return new HeartbeatStore({ redis, prefix }).readAll();
}
