/** Waits `ms`, or less if `until` settles first (used to stop loops at close). */
export async function pause(ms: number, until?: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const slept = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  try {
    await (until ? Promise.race([slept, until]) : slept);
  } finally {
    clearTimeout(timer);
  }
}

/** Exponential backoff for a loop that keeps failing: 100 ms doubling, capped. */
export function failureBackoff(failures: number, capMs = 2_000): number {
  return Math.min(100 * 2 ** Math.min(failures, 10), capMs);
}

/** Retries `fn` on error (Redis briefly gone) a bounded number of times. */
export async function withRetry<T>(
  fn: () => Promise<T>,
  onError: (err: unknown, attempt: number) => void,
  attempts = 15,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      onError(err, attempt);
      if (attempt >= attempts) throw err;
      await pause(failureBackoff(attempt, 1_000));
    }
  }
}
