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
  "(?:do\\s+not|don['’]?t|does\\s+not|doesn['’]?t|should\\s+not|shouldn['’]?t|must\\s+not|mustn['’]?t|never|no\\s+longer)\\s+(?:use|run\\s+on|allow|permit|need|want)",
  'avoid(?:ing)?',
  'ban',
  'forbid',
  // "no g5.xlarge", "no more 10.9.0.0/16"
  'no(?:\\s+more)?',
].join('|');
/** A listed value: an instance type or an IPv4 range (a dot inside), or an IPv6 range. */
const ITEM = '(?:[a-z0-9][a-z0-9-]*\\.[a-z0-9.]+(?:\\/\\d{1,3})?|[0-9a-f:]+:[0-9a-f:]*\\/\\d{1,3})';
/** The verb, then only values and list words up to the value being judged. */
const GOVERNED = `\\b(?:${REMOVE_VERB})\\s+(?:the\\s+)?(?:${ITEM}(?:\\s*,\\s*|\\s+(?:and|or|&)\\s+|\\s+))*$`;

/** "take g5.xlarge out of x": the verb before the values, its particle after them. */
const TAKE_BEFORE = `\\btake\\s+(?:the\\s+)?(?:${ITEM}(?:\\s*,\\s*|\\s+(?:and|or|&)\\s+|\\s+))*$`;
/** More values after the first: each after a comma, a list word or a blank (never run together). */
const MORE_ITEMS = `(?:(?:\\s*,\\s*|\\s+(?:and|or|&)\\s+|\\s+)${ITEM})*`;
/** "g5.xlarge must go", "10.9.0.0/16 is no longer needed": said after the values. */
const GONE_AFTER = regex(
  `^${MORE_ITEMS}\\s+(?:(?:must|should|can|has\\s+to|have\\s+to|needs?\\s+to)\\s+go\\b|(?:is|are)\\s+no\\s+longer\\s+(?:needed|wanted|allowed|used))`,
);
const TAKE_AFTER = regex(`^${MORE_ITEMS}\\s+(?:out|off|away)\\b`);

/**
 * Whether the value written from `index` to `end` of `lower` (the goal, lowercased) is one the
 * goal takes away.
 */
export function isRemoved(lower: string, index: number, end: number): boolean {
  // A clause at most: what a list of a few values with its verb spans.
  const before = lower.slice(Math.max(0, index - 160), index);
  const after = lower.slice(end, end + 160);
  if (regex(GOVERNED).test(before)) return true;
  if (regex(TAKE_BEFORE).test(before) && TAKE_AFTER.test(after)) return true;
  return GONE_AFTER.test(after);
}
