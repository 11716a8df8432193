import { regex } from '../../util/regexps.js';

// Values a goal asks to take away from a stack's lists ("remove g5.xlarge", "stop allowing
// 10.9.0.0/16", "use g6.xlarge instead of g4dn.xlarge"): read as the list's values, they made
// the stack keep exactly what was to go.

/** Verbs that take the values after them away. */
const REMOVE_VERB = [
  'remove',
  'removing',
  'drop',
  'dropping',
  'delete',
  'deleting',
  'exclude',
  'excluding',
  'without',
  'retire',
  'revoke(?:\\s+(?:access|ingress)\\s+(?:from|for))?',
  'disallow',
  'deny',
  'block',
  'get\\s+rid\\s+of',
  'stop\\s+(?:using|allowing|permitting)',
  'no\\s+longer\\s+(?:use|allow|permit)',
  'take\\s+(?:out|away|off)',
  'replace',
  'replacing',
  'swap(?:\\s+out)?',
  // "switch gp-x from g4dn.xlarge to …", "move off g4dn.xlarge"
  'switch\\s+(?:[a-z][\\w-]*\\s+)?(?:away\\s+)?from',
  'move\\s+(?:[a-z][\\w-]*\\s+)?(?:away\\s+from|off(?:\\s+of)?|from)',
  'instead\\s+of',
  'rather\\s+than',
].join('|');
/** A listed value: an instance type or an IPv4 range (a dot inside), or an IPv6 range. */
const ITEM = '(?:[a-z0-9][a-z0-9-]*\\.[a-z0-9.]+(?:\\/\\d{1,3})?|[0-9a-f:]+:[0-9a-f:]*\\/\\d{1,3})';
/** The verb, then only values and list words up to the value being judged. */
const GOVERNED = `\\b(?:${REMOVE_VERB})\\s+(?:the\\s+)?(?:${ITEM}(?:\\s*,\\s*|\\s+(?:and|or|&)\\s+|\\s+))*$`;

/** Whether the value written at `index` of `lower` (the goal, lowercased) is one the goal takes away. */
export function isRemoved(lower: string, index: number): boolean {
  // A clause at most: what a list of a few values with its verb spans.
  return regex(GOVERNED).test(lower.slice(Math.max(0, index - 160), index));
}
