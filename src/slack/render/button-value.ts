// A review button carries the plan id and the sha256 of the plan file it was rendered for,
// so a click on an older review cannot approve a newer plan file.

export const ACTIONS = { approve: 'crew_approve', reject: 'crew_reject', rollback: 'crew_rollback' } as const;

export interface ButtonValue {
  planId: string;
  sha: string;
}

export function encodeButton(v: ButtonValue): string {
  return JSON.stringify({ p: v.planId, s: v.sha });
}

/**
 * A value Slack hands back (a button's value, a modal's metadata): the JSON object it holds, or
 * undefined when it is not a string of at most `maxLength` characters holding one. Its fields
 * stay `unknown` until the caller checks them.
 */
export function parseSlackValue(raw: unknown, maxLength: number): Record<string, unknown> | undefined {
  if (typeof raw !== 'string' || raw.length > maxLength) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return undefined;
  }
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** Raw input from a click: `unknown` until it has the right shape. */
export function decodeButton(raw: unknown): ButtonValue | undefined {
  const v = parseSlackValue(raw, 2000);
  if (!v) return undefined;
  const { p, s } = v;
  if (typeof p !== 'string' || !/^[a-z0-9-]{4,64}$/.test(p)) return undefined;
  if (typeof s !== 'string' || !/^(?:[a-f0-9]{64}|none)$/.test(s)) return undefined;
  return { planId: p, sha: s };
}
