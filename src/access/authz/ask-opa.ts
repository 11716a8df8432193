import type { AuthzInput } from './build-authz-input.js';

export type OpaAnswer = { reached: true; allowed: boolean; reasons: string[] } | { reached: false; error: string };

// A policy decision is on the path of every approval: a slow OPA must not hold a person for long.
const OPA_TIMEOUT_MS = 5_000;

/**
 * Asks OPA's Data API (`POST <url>` with `{"input": …}`). `{"result": true}` or
 * `{"result": {"allow": true}}` allows; anything else, an undefined decision (`{}`) included,
 * denies. `result.reasons` (strings), when given, name the deciding rules.
 */
export async function askOpa(url: string, input: AuthzInput, timeoutMs = OPA_TIMEOUT_MS): Promise<OpaAnswer> {
  let body: unknown;
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ input }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) return { reached: false, error: `HTTP ${res.status}` };
    body = await res.json();
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    return { reached: false, error: cause ?? (err as Error).name ?? String(err) };
  }
  const result = (body as { result?: unknown } | null)?.result;
  if (typeof result === 'boolean') return { reached: true, allowed: result, reasons: [] };
  if (typeof result === 'object' && result !== null) {
    const r = result as { allow?: unknown; reasons?: unknown };
    const reasons = Array.isArray(r.reasons) ? r.reasons.filter((x): x is string => typeof x === 'string') : [];
    return { reached: true, allowed: r.allow === true, reasons };
  }
  return { reached: true, allowed: false, reasons: [] };
}
