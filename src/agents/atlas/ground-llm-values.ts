import type { GoalFacts } from './extract-facts.js';
import { toInt } from './extract-network.js';

// How the model's values are tied to the person's words: by what they mean (a parsed network,
// a whole name), never by text search ("0.0.0.0/1" is inside "10.0.0.0/16" as text).

interface Network {
  address: number;
  prefix: number;
}

function parseCidr(text: string): Network | undefined {
  const m = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(text.trim());
  if (!m?.[1] || !m[2]) return undefined;
  if (m[1].split('.').some((o) => Number(o) > 255 || (o.length > 1 && o.startsWith('0')))) return undefined;
  const prefix = Number(m[2]);
  return prefix <= 32 ? { address: toInt(m[1]), prefix } : undefined;
}

/** Every IPv4 network the goal states: CIDRs in any role, and bare addresses as /32. */
export function writtenNetworks(f: GoalFacts): string[] {
  const n = f.network;
  return [
    ...(n.vpcCidr ? [n.vpcCidr] : []),
    ...n.subnetCidrs,
    ...n.allowedCidrs,
    ...n.ipv4.map((ip) => `${ip}/32`),
    ...(n.worldOpenWords ? ['0.0.0.0/0'] : []),
  ];
}

/**
 * The entry of `known` that is the same network as `cidr` (same address and prefix), in the
 * spelling it has there; undefined when none is.
 */
export function sameNetwork(cidr: string, known: readonly string[]): string | undefined {
  const a = parseCidr(cidr);
  if (!a) return undefined;
  return known.find((k) => {
    const b = parseCidr(k);
    return b !== undefined && b.address === a.address && b.prefix === a.prefix;
  });
}

/** Whether `name` appears in the goal as a whole word (a node "pve" is not in "pve2"). */
export function namedInGoal(name: string, f: GoalFacts): boolean {
  if (name === '') return false;
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // Built from the value itself, used once: not one of the kept patterns (src/util/regexps.ts).
  return new RegExp(`(?<![\\w.:/-])${escaped}(?![\\w:/-]|\\.\\w)`).test(f.raw);
}
