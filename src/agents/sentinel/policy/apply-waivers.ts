import type { Finding } from '../../../../contracts/index.js';
import { matchesGlob } from '../util/glob.js';
import type { Waiver } from './policy-types.js';

/** A waiver covers its whole `expires` day (UTC); from the next day on it no longer applies. */
export function isExpired(waiver: Waiver, now: Date): boolean {
  return now.getTime() >= Date.parse(`${waiver.expires}T00:00:00Z`) + 86_400_000;
}

/** Marks waived findings; a matching expired waiver is mentioned in the finding instead. */
export function applyWaivers(findings: Finding[], waivers: readonly Waiver[], now: Date): Finding[] {
  if (waivers.length === 0) return findings;
  return findings.map((f) => {
    const matching = waivers.filter((w) => w.ruleId === f.ruleId && matchesGlob(w.address, f.address));
    const active = matching.find((w) => !isExpired(w, now));
    if (active) return { ...f, waived: { reason: active.reason, expires: active.expires } };
    const expired = matching[0];
    if (!expired) return f;
    return {
      ...f,
      message: `${f.message} (waiver expired on ${expired.expires}, no longer applies: ${expired.reason})`.slice(
        0,
        2000,
      ),
    };
  });
}
