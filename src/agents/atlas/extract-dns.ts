import type { DnsRecordParams } from '../../../contracts/index.js';
import type { GoalScan } from './goal-scan.js';
import { NUM_A, readNumber } from './read-number.js';

export interface DnsFacts {
  /** Dotted names in order of appearance; the first is the record, a second a CNAME target. */
  fqdns: string[];
  /** A record name without dots ("A record grafana"). */
  bareName?: string;
  type?: DnsRecordParams['type'];
  zone?: string;
  txt?: string;
  /** "ttl 300", "ttl 1h". */
  ttl?: number;
  /** A bare duration ("5 minutes"), a TTL only for a DNS goal. */
  durationSec?: number;
  remove: boolean;
  keyword: boolean;
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };
const unitSeconds = (unit: string | undefined): number => UNIT_SECONDS[(unit ?? 's').charAt(0)] ?? 1;
const UNIT = '(s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?)';

const LABEL = '[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?';
const FQDN_RE = new RegExp(`(?<![\\w.@/-])((?:\\*\\.)?(?:${LABEL}\\.)+[a-z][a-z0-9-]*[a-z0-9])\\.?(?![\\w-])`, 'g');
const NOT_NAMES = new Set(['e.g', 'i.e', 'a.m', 'p.m', 'etc']);
const NAME_STOP = new Set([
  'to',
  'for',
  'in',
  'on',
  'with',
  'pointing',
  'that',
  'at',
  'the',
  'type',
  'value',
  'and',
  'named',
  'called',
  'of',
  'set',
]);

/** Reads TTLs and durations; must run before the schedule reader so "2h" is not a clock time. */
export function extractTtl(scan: GoalScan, facts: Pick<DnsFacts, 'ttl' | 'durationSec'>): void {
  const ttl =
    scan.takeFirst(new RegExp(`\\bttl\\s*(?:of|=|:|to|is)?\\s*(-?\\d+)\\s*${UNIT}?\\b`, 'g')) ??
    scan.takeFirst(new RegExp(`\\b(\\d+)\\s*${UNIT}[\\s-]*ttl\\b`, 'g'));
  if (ttl) {
    facts.ttl = Number(ttl[1]) * unitSeconds(ttl[2]);
    if (facts.ttl < 1 || facts.ttl > 604800)
      scan.fail(`ttl ${ttl[1]}${ttl[2] ?? ''} is out of range (1 second to 7 days)`);
    return;
  }
  const dur = scan.takeFirst(new RegExp(`\\b${NUM_A}[\\s-]*(seconds?|minutes?|mins?|hours?|days?)\\b`, 'g'));
  if (dur?.[1] !== undefined) facts.durationSec = readNumber(dur[1]) * unitSeconds(dur[2]);
}

/** Takes a quoted TXT value first, so no other reader sees the IPs or names inside it. */
export function extractTxtValue(scan: GoalScan, facts: Pick<DnsFacts, 'txt'>): void {
  const explicitTxt = /\btxt\b/.test(scan.lower);
  // Quotes carry a TXT value; single quotes only when TXT is explicit, since apostrophes are prose.
  const quoteRe = explicitTxt ? /["“']([^"”']{1,255})["”']/ : /["“]([^"”]{1,255})["”]/;
  const quoted = explicitTxt || /\b(?:spf|dkim|dmarc|verification)\b/.test(scan.lower) ? quoteRe.exec(scan.raw) : null;
  if (quoted?.[1] !== undefined) {
    facts.txt = quoted[1];
    scan.blank(quoted.index, quoted[0].length);
  }
}

/** Reads a DNS record: name, type, value (IPs come from the network reader), zone, action. */
export function extractDns(scan: GoalScan, facts: DnsFacts): void {
  // A lone capital A is the record type only in the original text ("an A record"); "a record" is prose.
  const typed = /\b(aaaa|cname|txt)\b|\ban\s+a[\s-]+record\b|\btype\s*[=:]?\s*a\b/.exec(scan.rest);
  if (typed) facts.type = (typed[1] ?? 'a').toUpperCase() as DnsRecordParams['type'];
  else if (/\bA(?:[\s-]+records?|\s+rr)\b/.test(scan.raw)) facts.type = 'A';
  const zone = scan.takeFirst(
    new RegExp(
      `\\b(?:in\\s+|to\\s+|into\\s+|under\\s+)?(?:the\\s+)?zone\\s+((?:${LABEL}\\.)*[a-z][a-z0-9-]*)|\\b(?:in|into|under)\\s+(?:the\\s+)?((?:${LABEL}\\.)*[a-z][a-z0-9-]*)\\s+zone\\b`,
      'g',
    ),
  );
  if (zone) facts.zone = zone[1] ?? zone[2];
  for (const m of scan.take(FQDN_RE, (x) => !NOT_NAMES.has(x[1] ?? ''))) facts.fqdns.push(m[1] ?? '');
  if (facts.fqdns.length === 0) {
    const bare =
      scan.takeFirst(/\brecord\s+(?:for\s+|named\s+|called\s+)?([a-z0-9_*@][a-z0-9_-]*)\b/g) ??
      scan.takeFirst(/\b(?:point|map|resolve|alias)\s+([a-z0-9_*@][a-z0-9_-]*)\s+(?:to|at)\b/g) ??
      scan.takeFirst(/\b([a-z0-9_*@][a-z0-9_-]*)\s*(?:->|→|=>)/g);
    if (bare?.[1] && !NAME_STOP.has(bare[1])) facts.bareName = bare[1];
  }
  if (scan.has(/\b(?:remove|delete|drop|unregister|deregister|get rid of|purge|take down)\b/)) facts.remove = true;
  facts.keyword =
    scan.has(/\b(?:dns|record|records|resolve[sd]?|resolution|hostname|host name|domain|nameserver|bind|dig)\b/) ||
    facts.type !== undefined;
}
