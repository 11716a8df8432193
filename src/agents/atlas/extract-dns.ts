import type { DnsRecordParams } from '../../../contracts/index.js';
import type { GoalScan } from './goal-scan.js';
import { NUM_A, readNumber } from './read-number.js';
import { isProseWord } from './read-word-class.js';
import { matchesOf, regex } from '../../util/regexps.js';

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
  /** A CNAME's target given by its key ("target=…", "value: …"), whatever comes first in the text. */
  target?: string;
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
/** By the unit's first letter; "month" (30 days) is the one "m" that is no minute. */
const unitSeconds = (unit: string | undefined): number =>
  /^mo/.test(unit ?? '') ? 30 * 86400 : (UNIT_SECONDS[(unit ?? 's').charAt(0)] ?? 1);
const UNIT = '(s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|wks?|weeks?|months?)';

const LABEL = '[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?';
const FQDN_RE = regex(`(?<![\\w.@/-])((?:\\*\\.)?(?:${LABEL}\\.)+[a-z][a-z0-9-]*[a-z0-9])\\.?(?![\\w-])`, 'g');
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
/** "set the ttl of test.local to 600": the words around the record's name, which is left to the name reader. */
const TTL_OF_NAME = regex(
  `\\bttl\\s+(?:of|for|on)\\s+(?:the\\s+)?(?:record\\s+)?([\\w.-]{1,253})\\s+(?:to|=|:|at|is|should\\s+be)\\s*(-?\\d+|an?)\\s*${UNIT}?\\b`,
  'g',
);

function ttlOfName(scan: GoalScan): RegExpExecArray | undefined {
  const m = TTL_OF_NAME.exec(scan.rest);
  TTL_OF_NAME.lastIndex = 0;
  if (!m) return undefined;
  const name = m[1] ?? '';
  const nameAt = m.index + m[0].indexOf(name, 'ttl'.length);
  scan.blank(m.index, nameAt - m.index);
  scan.blank(nameAt + name.length, m.index + m[0].length - nameAt - name.length);
  // Read as the other forms are: group 1 the number, group 2 its unit.
  const read = [m[0], m[2], m[3]] as unknown as RegExpExecArray;
  read.index = m.index;
  return read;
}

export function extractTtl(scan: GoalScan, facts: Pick<DnsFacts, 'ttl' | 'durationSec'>): void {
  const ttl =
    scan.takeFirst(regex(`\\bttl\\s*(?:of|=|:|to|is|should\\s+be)?\\s*(-?\\d+|an?)\\s*${UNIT}?\\b`, 'g')) ??
    scan.takeFirst(regex(`\\b(\\d+)\\s*${UNIT}[\\s-]*ttl\\b`, 'g')) ??
    ttlOfName(scan);
  if (ttl) {
    facts.ttl = (/^an?$/.test(ttl[1] ?? '') ? 1 : Number(ttl[1])) * unitSeconds(ttl[2]);
    if (facts.ttl < 1 || facts.ttl > 604800)
      scan.fail(
        `ttl ${ttl[1]}${ttl[2] ? `${/^\d+$/.test(ttl[1] ?? '') && (ttl[2] ?? '').length === 1 ? '' : ' '}${ttl[2]}` : ''} is out of range (1 second to 7 days)`,
      );
    return;
  }
  // "half an hour", "a quarter of an hour", "an hour and a half": spoken durations.
  const spoken = scan.takeFirst(
    /\b(?:(half\s+an?\s+hour)|((?:a\s+)?quarter\s+(?:of\s+)?an?\s+hour)|((?:an?|1)\s+hour\s+and\s+a\s+half))\b(?!\s+(?:earlier|later|sooner)\b)/g,
  );
  if (spoken) {
    facts.durationSec = spoken[1] ? 1800 : spoken[2] ? 900 : 5400;
    return;
  }
  // "5 minutes to 8", "10 minutes past 7" are clock times, no durations.
  const dur = scan.takeFirst(
    regex(
      // "an hour earlier" moves a schedule's time (extract-schedule.ts): no duration.
      `\\b(?<!\\b(?:earlier|later|sooner)[ \\t]{1,3}by[ \\t]{1,3})${NUM_A}[\\s-]*(seconds?|minutes?|mins?|hours?|days?|weeks?)\\b(?!\\s+(?:(?:to|past|after|before|till)\\s+\\d|earlier\\b|later\\b|sooner\\b))`,
      'g',
    ),
  );
  if (dur?.[1] !== undefined) facts.durationSec = readNumber(dur[1]) * unitSeconds(dur[2]);
}

/**
 * An unquoted TXT value after a label ("value:", "value =", "content:", "text:"), up to the end of its
 * clause: a comma or a sentence end followed by a space, a line break, or the end of the goal. The
 * "; " inside DKIM and DMARC values ("v=DMARC1; p=none") is part of the value. Without the label's
 * colon or equals sign ("the value is not known yet") the words are prose, and the value is asked for.
 */
const UNQUOTED_TXT =
  /\b(?:value|content|text|verification|token)\s*[:=]\s*(?!["“'])([^\s,"“”][^\n"“”]*?)(?=\s*(?:$|\n|,\s|[.!?](?:\s|$)))|\bwith\s+(?:the\s+)?(?:value|content|text|token)\s+(?:of\s+)?(?!["“'])((?=[^\s,"“”]*[\d=])[^\s,"“”]+)(?=\s*(?:$|\n|,|[.!?;](?:\s|$))|\s+(?:ttl|and|please|with|for|thanks)\b)/;
/**
 * A TXT value known by its shape, with no label: a verification token ("google-site-verification=…",
 * "MS=ms123") or an SPF, DMARC or DKIM record ("v=spf1 include:… ~all"), up to the end of its clause.
 */
const SHAPED_TXT =
  /(?<![\w=-])((?:[a-z][a-z0-9-]*-verification|ms)=[^\s,"“”]+|v=(?:spf1|dmarc1|dkim1)\b[^\n"“”]*?)(?=\s*(?:$|\n|,\s|[.!?](?:\s|$)))/;

/** Takes a quoted TXT value first, so no other reader sees the IPs or names inside it. */
export function extractTxtValue(scan: GoalScan, facts: Pick<DnsFacts, 'txt'>): void {
  const explicitTxt = /\btxt\b/.test(scan.lower);
  // Quotes carry a TXT value: double quotes first; single quotes only when TXT is explicit and
  // none stand beside a letter on both sides ("It's" is an apostrophe, not a quote).
  const wanted = explicitTxt || /\b(?:spf|dkim|dmarc|verification)\b/.test(scan.lower);
  const quoted = wanted
    ? (/["“]([^"”]{1,255})["”]/.exec(scan.raw) ??
      (explicitTxt ? /(?<![\p{L}\d])'([^']{1,255})'(?![\p{L}\d])/u.exec(scan.raw) : null))
    : null;
  if (quoted?.[1] !== undefined) {
    facts.txt = quoted[1];
    scan.blank(quoted.index, quoted[0].length);
    return;
  }
  // "Value: google-site-verification=abc": after a value label, the text up to the end of its clause.
  const labelled = explicitTxt ? (UNQUOTED_TXT.exec(scan.lower) ?? SHAPED_TXT.exec(scan.lower)) : null;
  const value = labelled?.[1] ?? labelled?.[2];
  if (labelled && value !== undefined) {
    const at = labelled.index + labelled[0].length - value.length;
    facts.txt = scan.rawAt(at, value.length);
    scan.blank(at, value.length);
  }
}

const BARE = '([a-z0-9_*@][a-z0-9_-]*)';
/** Where a record name without dots is written, most explicit first; group 1 is the name. */
const BARE_NAMES = [
  regex(`\\bname\\s*[:=]\\s*["'\`]?${BARE}(?![\\w.-])`, 'g'),
  regex(`\\brecord\\s+(?:for\\s+|named\\s+|called\\s+)?${BARE}\\b`, 'g'),
  regex(`\\b(?:point|map|resolve|alias)\\s+${BARE}\\s+(?:to|at)\\b`, 'g'),
  regex(`\\b${BARE}\\s*(?:->|→|=>)`, 'g'),
];
/** "record needed for grafana": group 1 the word between the noun and "for", group 2 the name. */
const AFTER_PROSE = regex(`\\brecord\\s+([a-z']+)\\s+(?:for|named|called)\\s+${BARE}\\b`, 'g');

/** A plain word that is prose where it stands ("needed", "please", "pointing") names nothing. */
const isName = (scan: GoalScan, name: string, at: number) =>
  !NAME_STOP.has(name) && !(/^[a-z']+$/.test(name) && isProseWord(scan.raw, at));

/**
 * A record name without dots ("A record grafana", "name: grafana", "grafana -> 10.0.0.5"). A word
 * that is prose where it stands ("record needed", "record please") is no name: the next phrasing
 * is tried ("record needed for grafana"), and with none the name is asked for, never "needed".
 */
function readBareName(scan: GoalScan): string | undefined {
  const take = (m: RegExpExecArray, name: string) => {
    scan.blank(m.index, m[0].length);
    return name;
  };
  for (const re of BARE_NAMES)
    for (const m of matchesOf(re, scan.rest)) {
      const name = m[1] ?? '';
      if (isName(scan, name, m.index + m[0].lastIndexOf(name))) return take(m, name);
      if (re !== BARE_NAMES[1]) continue;
      for (const p of matchesOf(AFTER_PROSE, scan.rest)) {
        const [, word = '', after = ''] = p;
        const wordAt = p.index + p[0].indexOf(word, 'record'.length);
        if (
          p.index === m.index &&
          !isName(scan, word, wordAt) &&
          isName(scan, after, p.index + p[0].lastIndexOf(after))
        )
          return take(p, after);
      }
    }
  return undefined;
}

/** Reads a DNS record: name, type, value (IPs come from the network reader), zone, action. */
export function extractDns(scan: GoalScan, facts: DnsFacts): void {
  // A lone capital A is the record type only in the original text ("an A record"); "a record" is prose.
  const typed = /\b(aaaa|cname|txt)\b|\ban\s+a[\s-]+rec(?:ord)?\b|\btype\s*[=:]?\s*a\b/.exec(scan.rest);
  if (typed) facts.type = (typed[1] ?? 'a').toUpperCase() as DnsRecordParams['type'];
  else if (/\bA(?:[\s-]+(?:records?|recs?)|\s+rr)\b/.test(scan.raw)) facts.type = 'A';
  // Record types the blueprint cannot hold are refused by name, never read as another type.
  const other =
    /\b(mx|srv|ns|ptr|caa|soa|naptr|sshfp|tlsa|https|svcb)(?:[\s-]+(?:records?|recs?|rr)\b|\s*$)|\btype\s*[=:]\s*(mx|srv|ns|ptr|caa|soa)\b/.exec(
      scan.rest,
    );
  if (other)
    scan.fail(
      `${(other[1] ?? other[2] ?? '').toUpperCase()} records are not supported: the dns-record blueprint holds A, AAAA, CNAME and TXT records`,
    );
  // A zone by its key or before the word ("zone=lab.internal", "zone lab.internal", "the example.dev
  // zone", "in the lab zone"); after "zone" and a space only a dotted name, so "zone with" is prose.
  const zone = scan.takeFirst(
    regex(
      `\\b(?:in\\s+|to\\s+|into\\s+|under\\s+)?(?:the\\s+)?zone(?:\\s*[:=]\\s*((?:${LABEL}\\.)*[a-z][a-z0-9-]*)|\\s+((?:${LABEL}\\.)+[a-z][a-z0-9-]*))|\\b(?:(?:in|into|under|of|on|at)\\s+(?:the\\s+)?((?:${LABEL}\\.)*[a-z][a-z0-9-]*)|(?:the\\s+)?((?:${LABEL}\\.)+[a-z][a-z0-9-]*))\\s+zone\\b(?!\\s*[:=])`,
      'g',
    ),
  );
  if (zone) facts.zone = zone[1] ?? zone[2] ?? zone[3] ?? zone[4];
  const target = scan.takeFirst(
    regex(
      `\\b(?:target|value|points?[_ -]?to|cname[_ -]?target|alias[_ -]?(?:of|to))\\s*[:=]\\s*${FQDN_RE.source}`,
      'g',
    ),
  );
  if (target?.[1]) facts.target = target[1];
  // "a record for jenkins in lab.internal": a bare name, then the dotted zone it sits in.
  if (!facts.zone) {
    const inZone = scan.takeFirst(
      regex(
        `\\b(?:record|entry|rec|name|point|map|resolve|alias)\\s+(?:for\\s+|named\\s+|called\\s+)?["'\`]?([a-z0-9_][a-z0-9_-]*)["'\`]?\\s+(?:in|under|inside|within|on)\\s+(?:the\\s+)?((?:${LABEL}\\.)+[a-z][a-z0-9-]*)\\b(?:\\s+(?:zone|domain))?`,
        'g',
      ),
    );
    if (inZone?.[1] && inZone[2] && !NAME_STOP.has(inZone[1])) {
      facts.bareName = inZone[1];
      facts.zone = inZone[2];
    }
  }
  for (const m of scan.take(FQDN_RE, (x) => !NOT_NAMES.has(x[1] ?? ''))) facts.fqdns.push(m[1] ?? '');
  if (facts.fqdns.length === 0) facts.bareName ??= readBareName(scan);
  // "a TXT at the root of the example.dev zone": the record is at the zone's apex.
  if (facts.zone && !facts.bareName && facts.fqdns.length === 0 && scan.has(/\b(?:root|apex)\b/)) facts.bareName = '@';
  if (scan.has(/\b(?:remove|delete|drop|unregister|deregister|get rid of|purge|take down)\b/)) facts.remove = true;
  facts.keyword =
    scan.has(
      /\b(?:dns|record|records|recs?|resolve[sd]?|resolution|hostname|host name|domain|nameserver|bind|dig)\b/,
    ) || facts.type !== undefined;
}
