import type { GoalScan } from './goal-scan.js';
import { CITY_ALTERNATION, TIME_ZONE_CITIES } from './time-zone-cities.js';
import { matchesOf, regex } from '../../util/regexps.js';

// Abbreviations map to a zone that follows daylight saving the way people mean it.
const ABBREVIATIONS: Record<string, string> = {
  UTC: 'UTC',
  GMT: 'UTC',
  CET: 'Europe/Berlin',
  CEST: 'Europe/Berlin',
  BST: 'Europe/London',
  WET: 'Europe/Lisbon',
  EET: 'Europe/Helsinki',
  EEST: 'Europe/Helsinki',
  ET: 'America/New_York',
  EST: 'America/New_York',
  EDT: 'America/New_York',
  CT: 'America/Chicago',
  CST: 'America/Chicago',
  CDT: 'America/Chicago',
  MT: 'America/Denver',
  MST: 'America/Denver',
  MDT: 'America/Denver',
  PT: 'America/Los_Angeles',
  PST: 'America/Los_Angeles',
  PDT: 'America/Los_Angeles',
  IST: 'Asia/Kolkata',
  JST: 'Asia/Tokyo',
  KST: 'Asia/Seoul',
  SGT: 'Asia/Singapore',
  AEST: 'Australia/Sydney',
  AEDT: 'Australia/Sydney',
};

const IANA_RE =
  /\b((?:Africa|America|Antarctica|Asia|Atlantic|Australia|Europe|Indian|Pacific|Etc)\/[A-Za-z0-9_+-]+(?:\/[A-Za-z0-9_+-]+)?)\b/gi;
const ABBR_RE = regex(`(?<![\\w/-])(${Object.keys(ABBREVIATIONS).join('|')})(?![\\w/-])`, 'g');
const CITY_RE = regex(
  `\\b(${CITY_ALTERNATION})(?:['’]s)?\\s*(?:time(?:\\s*zone)?|timezone|tz|hours)\\b|\\b(?:time|clock|timezone|time\\s+zone)\\s+(?:of|in|from)\\s+(${CITY_ALTERNATION})\\b`,
  'g',
);
const TZ_WORD_RE = regex(
  `\\b(?:time\\s*zone|timezone|tz)\\s*(?:of\\s+|=\\s*|:\\s*|is\\s+)?(${CITY_ALTERNATION})\\b`,
  'g',
);

// "we're in New York", "our office is in Berlin": where the people are says which clock they mean.
const PEOPLE_IN_RE = regex(
  `\\b(?:we(?:['’]re|\\s+are)|i(?:['’]m|\\s+am)|(?:our|the|my)\\s+(?:team|office|users|people|folks|company|ops)\\s+(?:is|are|sits?|works?|lives?))\\s+(?:(?:all\\s+)?(?:based|located|sitting|working)\\s+)?in\\s+(${CITY_ALTERNATION})\\b`,
  'g',
);

function takeCapitalisedPair(scan: GoalScan): RegExpExecArray | undefined {
  const m = matchesOf(/\b[A-Z][a-z]+(?:_[A-Z][a-z]+)*\/[A-Z][A-Za-z_]+\b/g, scan.raw).find(
    (x) =>
      scan.rest.slice(x.index, x.index + x[0].length).trim() === x[0].toLowerCase() &&
      // "Min/Max: 1/3", "Min/Desired/Max": a ticket's sizes, no place.
      !/^(?:min|max|desired|minimum|maximum)\//i.test(x[0]),
  );
  if (m) scan.blank(m.index, m[0].length);
  return m;
}

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return /^[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)*$/.test(tz) && tz.length <= 64;
  } catch {
    return false;
  }
}

/** The IANA zone the goal names: "Europe/Berlin", "Berlin time", "we're in Berlin", "CET", "ET", "UTC". */
export function extractTimezone(scan: GoalScan): string | undefined {
  // Known areas in any case, or any Capitalised/Capitalised pair, so a typo is reported, not skipped.
  const iana = scan.takeFirst(IANA_RE) ?? takeCapitalisedPair(scan);
  if (iana) {
    const name = scan.rawAt(iana.index, iana[0].length);
    // Canonical casing comes from Intl, so "europe/berlin" is still Europe/Berlin.
    const canonical = isTimeZone(name)
      ? new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone
      : undefined;
    if (!canonical) {
      scan.fail(`${name} is not a known IANA time zone`);
      return undefined;
    }
    // The zone as the person wrote it: "Asia/Kolkata" stays Asia/Kolkata, though Intl may answer
    // with an older link name (Asia/Calcutta). Only the casing of a lower-case name is fixed.
    if (canonical.toLowerCase() === name.toLowerCase()) return canonical;
    if (name !== name.toLowerCase()) return name;
    const titled = name.replace(/(^|[/_])([a-z])/g, (_m, sep: string, c: string) => sep + c.toUpperCase());
    return isTimeZone(titled) ? titled : canonical;
  }
  // Matched with accents folded: "São Paulo time", "we're in Kraków".
  const city = scan.takeFirstFolded(CITY_RE) ?? scan.takeFirstFolded(TZ_WORD_RE) ?? scan.takeFirstFolded(PEOPLE_IN_RE);
  const cityName = city?.[1] ?? city?.[2];
  if (cityName) return TIME_ZONE_CITIES[cityName];
  // Abbreviations are read case-sensitively from the original text: "et" or "pt" in prose are words.
  const abbr = matchesOf(ABBR_RE, scan.raw).find((m) => scan.rest.slice(m.index, m.index + m[0].length).trim() !== '');
  if (abbr?.[1]) {
    scan.blank(abbr.index, abbr[0].length);
    return ABBREVIATIONS[abbr[1]];
  }
  return undefined;
}
