import type { Redis } from 'ioredis';

/*
 * Agent heartbeats, read by the metrics scrape.
 *
 *   <prefix>:heartbeat:<agent>:<instance>   value: last-seen unix time in seconds (decimal)
 *
 * `agent` is a role (conductor, atlas, forge, sentinel, serve, …) and must not contain ':';
 * `instance` is whatever tells replicas apart (pod name, hostname:pid) and may. The key
 * outlives a dead instance by `ttlSeconds` (default one hour) so a stopped agent shows as
 * stale on the board instead of vanishing; alerts take the newest instance per agent, so a
 * replaced pod does not page. The keys are plain strings outside any hash tag: nothing
 * writes two of them together.
 */
export const heartbeatKey = (prefix: string, agent: string, instance: string): string => `${prefix}:heartbeat:${agent}:${instance}`;

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

export interface Heartbeat {
  agent: string;
  instance: string;
  /** Unix seconds. */
  lastSeen: number;
}

export function startHeartbeat(redis: Redis, options: HeartbeatOptions): HeartbeatHandle {
  if (options.agent === '' || options.agent.includes(':')) throw new Error(`heartbeat agent "${options.agent}" must be non-empty and contain no ':'`);
  if (!(options.intervalMs > 0)) throw new Error('heartbeat intervalMs must be positive');
  const key = heartbeatKey(options.prefix ?? 'crew', options.agent, options.instance);
  const ttl = Math.max(options.ttlSeconds ?? 3600, Math.ceil((options.intervalMs * 3) / 1000));
  const now = options.now ?? Date.now;
  let inFlight: Promise<void> | undefined;
  const beat = () => {
    inFlight ??= redis
      .set(key, String(now() / 1000), 'EX', ttl)
      .then(() => undefined, (err: unknown) => options.onError?.(err))
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

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

/** Every heartbeat key under the prefix (SCAN, so a big keyspace is not blocked). */
export async function readHeartbeats(redis: Redis, prefix = 'crew'): Promise<Heartbeat[]> {
  const head = `${prefix}:heartbeat:`;
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${escapeGlob(head)}*`, 'COUNT', 200);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  if (keys.length === 0) return [];
  const unique = [...new Set(keys)].sort();
  const values = await redis.mget(...unique);
  const out: Heartbeat[] = [];
  unique.forEach((key, i) => {
    const rest = key.slice(head.length);
    const cut = rest.indexOf(':');
    const lastSeen = Number(values[i]);
    // A key that expired between SCAN and MGET reads as null: skip it.
    if (cut <= 0 || values[i] === null || !Number.isFinite(lastSeen)) return;
    out.push({ agent: rest.slice(0, cut), instance: rest.slice(cut + 1), lastSeen });
  });
  return out;
}
