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

/** Raw input from a click: `unknown` until it has the right shape. */
export function decodeButton(raw: unknown): ButtonValue | undefined {
  if (typeof raw !== 'string' || raw.length > 2000) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const { p, s } = v as Record<string, unknown>;
  if (typeof p !== 'string' || !/^[a-z0-9-]{4,64}$/.test(p)) return undefined;
  if (typeof s !== 'string' || !/^(?:[a-f0-9]{64}|none)$/.test(s)) return undefined;
  return { planId: p, sha: s };
}
