/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Named in the timeout error: what the test was waiting for. */
  what?: string;
}

type Maybe<T> = T | undefined | null | false;

/**
 * Polls `check` until it returns something truthy, and returns that; throws after the timeout
 * (default 10 s) naming what it waited for. `options` may be just the timeout in ms.
 */
export async function waitFor<T>(
  check: () => Maybe<T> | Promise<Maybe<T>>,
  options: number | WaitOptions = {},
): Promise<T> {
  const o = typeof options === 'number' ? { timeoutMs: options } : options;
  const timeoutMs = o.timeoutMs ?? 10_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${o.what ?? 'the condition'}`);
    await sleep(o.intervalMs ?? 50);
  }
}
