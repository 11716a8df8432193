import { SubprocessError } from './subprocess-error.js';

/**
 * What Terraform prints when the connection to its state backend failed for a moment, not
 * because of the plan: PostgreSQL restarting or dropping its connections (lib/pq's words), a
 * refused or reset TCP connection, and two Terraforms creating the same new stack's schema at
 * once (PostgreSQL's `CREATE SCHEMA IF NOT EXISTS` is not safe against a concurrent one).
 */
const TRANSIENT = [
  /terminating connection due to administrator command/,
  /driver: bad connection/,
  /the database system is (?:starting up|shutting down|in recovery mode)/,
  /server closed the connection unexpectedly/,
  /connect: connection refused/,
  /connection reset by peer/,
  /broken pipe/,
  /unexpected EOF/,
  /^Error: EOF$/m,
  /i\/o timeout/,
  /duplicate key value violates unique constraint "pg_(?:namespace_nspname|type_typname_nsp|class_relname_nsp)_index"/,
];

/** True when a Terraform command failed only because its state backend was unreachable for a moment. */
export function isTransientStateBackendFailure(err: unknown): boolean {
  if (!(err instanceof SubprocessError) || err.stale || err.locked) return false;
  return TRANSIENT.some((re) => re.test(err.stderr));
}

export interface RetryStateBackendOptions {
  /** Attempts in all (first included). */
  attempts?: number;
  /** Pause before the second attempt; doubled after each. */
  firstPauseMs?: number;
  sleep?: (ms: number) => Promise<void>;
  signal?: AbortSignal;
  /** Told of each failure that will be retried. */
  onRetry?: (attempt: number, err: unknown) => void;
}

/**
 * Runs a Terraform command that only reads (init, plan, refresh-only plan) again when its state
 * backend dropped the connection, with backoff: a PostgreSQL restart during a plan costs seconds,
 * not the plan. Any other failure, an aborted run or the last attempt's failure is thrown as is.
 * Never for apply: a dropped connection during an apply leaves the outcome to be checked, not retried.
 */
export async function retryStateBackend<T>(run: () => Promise<T>, o: RetryStateBackendOptions = {}): Promise<T> {
  const attempts = o.attempts ?? 4;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let pause = o.firstPauseMs ?? 1_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      if (attempt >= attempts || o.signal?.aborted || !isTransientStateBackendFailure(err)) throw err;
      o.onRetry?.(attempt, err);
      await sleep(pause);
      pause *= 2;
    }
  }
}
