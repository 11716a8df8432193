import type { GoalScan } from './goal-scan.js';

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

const CITIES: Record<string, string> = {
  berlin: 'Europe/Berlin',
  munich: 'Europe/Berlin',
  frankfurt: 'Europe/Berlin',
  paris: 'Europe/Paris',
  london: 'Europe/London',
  dublin: 'Europe/Dublin',
  amsterdam: 'Europe/Amsterdam',
  madrid: 'Europe/Madrid',
  rome: 'Europe/Rome',
  milan: 'Europe/Rome',
  lisbon: 'Europe/Lisbon',
  zurich: 'Europe/Zurich',
  vienna: 'Europe/Vienna',
  stockholm: 'Europe/Stockholm',
  oslo: 'Europe/Oslo',
  helsinki: 'Europe/Helsinki',
  warsaw: 'Europe/Warsaw',
  prague: 'Europe/Prague',
  'new york': 'America/New_York',
  eastern: 'America/New_York',
  boston: 'America/New_York',
  chicago: 'America/Chicago',
  central: 'America/Chicago',
  denver: 'America/Denver',
  mountain: 'America/Denver',
  'los angeles': 'America/Los_Angeles',
  'san francisco': 'America/Los_Angeles',
  seattle: 'America/Los_Angeles',
  pacific: 'America/Los_Angeles',
  toronto: 'America/Toronto',
  tokyo: 'Asia/Tokyo',
  singapore: 'Asia/Singapore',
  sydney: 'Australia/Sydney',
  mumbai: 'Asia/Kolkata',
  bangalore: 'Asia/Kolkata',
  india: 'Asia/Kolkata',
  'hong kong': 'Asia/Hong_Kong',
  shanghai: 'Asia/Shanghai',
  'sao paulo': 'America/Sao_Paulo',
  utc: 'UTC',
};

const IANA_RE =
  /\b((?:Africa|America|Antarctica|Asia|Atlantic|Australia|Europe|Indian|Pacific|Etc)\/[A-Za-z0-9_+-]+(?:\/[A-Za-z0-9_+-]+)?)\b/gi;
const ABBR_RE = new RegExp(`(?<![\\w/-])(${Object.keys(ABBREVIATIONS).join('|')})(?![\\w/-])`, 'g');
const CITY_RE = new RegExp(`\\b(${Object.keys(CITIES).join('|')})\\s*(?:time(?:\\s*zone)?|timezone|tz|hours)\\b`, 'g');
const TZ_WORD_RE = new RegExp(
  `\\b(?:time\\s*zone|timezone|tz)\\s*(?:of\\s+|=\\s*|:\\s*|is\\s+)?(${Object.keys(CITIES).join('|')})\\b`,
  'g',
);

// "we're in New York", "our office is in Berlin": where the people are says which clock they mean.
const PEOPLE_IN_RE = new RegExp(
  `\\b(?:we(?:['’]re|\\s+are)|i(?:['’]m|\\s+am)|(?:our|the|my)\\s+(?:team|office|users|people|folks|company|ops)\\s+(?:is|are|sits?|works?|lives?))\\s+(?:(?:all\\s+)?(?:based|located|sitting|working)\\s+)?in\\s+(${Object.keys(CITIES).join('|')})\\b`,
  'g',
);

function takeCapitalisedPair(scan: GoalScan): RegExpExecArray | undefined {
  const m = [...scan.raw.matchAll(/\b[A-Z][a-z]+(?:_[A-Z][a-z]+)*\/[A-Z][A-Za-z_]+\b/g)].find(
    (x) => scan.rest.slice(x.index, x.index + x[0].length).trim() === x[0].toLowerCase(),
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
  const city = scan.takeFirst(CITY_RE) ?? scan.takeFirst(TZ_WORD_RE) ?? scan.takeFirst(PEOPLE_IN_RE);
  if (city?.[1]) return CITIES[city[1]];
  // Abbreviations are read case-sensitively from the original text: "et" or "pt" in prose are words.
  const abbr = [...scan.raw.matchAll(ABBR_RE)].find(
    (m) => scan.rest.slice(m.index, m.index + m[0].length).trim() !== '',
  );
  if (abbr?.[1]) {
    scan.blank(abbr.index, abbr[0].length);
    return ABBREVIATIONS[abbr[1]];
  }
  return undefined;
}
