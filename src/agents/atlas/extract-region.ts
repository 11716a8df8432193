import type { GoalScan } from './goal-scan.js';
import { regex } from '../../util/regexps.js';

export const AWS_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'ca-west-1',
  'sa-east-1',
  'mx-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-central-2',
  'eu-north-1',
  'eu-south-1',
  'eu-south-2',
  'ap-south-1',
  'ap-south-2',
  'ap-east-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-7',
  'me-south-1',
  'me-central-1',
  'il-central-1',
  'af-south-1',
  'us-gov-west-1',
  'us-gov-east-1',
];

// Place names people use for regions, without accents (the goal is matched folded). Not followed
// by "time": "London time" is a time zone.
const PLACES: Record<string, string> = {
  ireland: 'eu-west-1',
  dublin: 'eu-west-1',
  london: 'eu-west-2',
  paris: 'eu-west-3',
  frankfurt: 'eu-central-1',
  zurich: 'eu-central-2',
  stockholm: 'eu-north-1',
  milan: 'eu-south-1',
  spain: 'eu-south-2',
  'n. virginia': 'us-east-1',
  'northern virginia': 'us-east-1',
  virginia: 'us-east-1',
  ohio: 'us-east-2',
  'n. california': 'us-west-1',
  'northern california': 'us-west-1',
  oregon: 'us-west-2',
  canada: 'ca-central-1',
  montreal: 'ca-central-1',
  calgary: 'ca-west-1',
  'sao paulo': 'sa-east-1',
  tokyo: 'ap-northeast-1',
  seoul: 'ap-northeast-2',
  osaka: 'ap-northeast-3',
  singapore: 'ap-southeast-1',
  sydney: 'ap-southeast-2',
  jakarta: 'ap-southeast-3',
  melbourne: 'ap-southeast-4',
  mumbai: 'ap-south-1',
  hyderabad: 'ap-south-2',
  'hong kong': 'ap-east-1',
  bahrain: 'me-south-1',
  uae: 'me-central-1',
  'tel aviv': 'il-central-1',
  israel: 'il-central-1',
  'cape town': 'af-south-1',
  // Countries with one region (or one people mean by the country's name).
  sweden: 'eu-north-1',
  germany: 'eu-central-1',
  uk: 'eu-west-2',
  'u.k.': 'eu-west-2',
  'united kingdom': 'eu-west-2',
  britain: 'eu-west-2',
  'great britain': 'eu-west-2',
  england: 'eu-west-2',
  france: 'eu-west-3',
  italy: 'eu-south-1',
  switzerland: 'eu-central-2',
  japan: 'ap-northeast-1',
  'south korea': 'ap-northeast-2',
  korea: 'ap-northeast-2',
  india: 'ap-south-1',
  australia: 'ap-southeast-2',
  brazil: 'sa-east-1',
  indonesia: 'ap-southeast-3',
  'south africa': 'af-south-1',
  mexico: 'mx-central-1',
};

const REGION_RE =
  /\b([a-z]{2}(?:-gov)?-(?:north|south|east|west|central|northeast|southeast|northwest|southwest)-\d{1,2})\b/g;
const PLACE_RE = regex(
  // Longest first, so "south korea" is read before "korea"; never inside a name ("uk-reports-asg").
  `(?<![\\w.-])(${Object.keys(PLACES)
    .sort((a, b) => b.length - a.length)
    .map((p) => p.replaceAll('.', '\\.'))
    .join('|')})(?![\\w-])(?!\\s*(?:time|timezone|tz|hours)\\b)(?:\\s+region)?`,
  'g',
);

// Anything shaped like a region code ("mars-west-1"), or any token right after the word "region".
const REGION_SHAPED_RE =
  /\b([a-z]{2,12}(?:-[a-z]+)*-(?:north|south|east|west|central|northeast|southeast|northwest|southwest)-\d{1,2})\b/g;
const AFTER_REGION_RE = /\bregion\s*(?:=|:|is|of)?\s*([a-z][a-z0-9]*(?:-[a-z0-9]+)+)\b/g;

function unknownRegion(scan: GoalScan, code: string): void {
  scan.fail(`${code} is not a known AWS region; known regions: ${AWS_REGIONS.join(', ')}`);
}

/**
 * A region code ("us-east-1", "mars-west-1") taken whole, before any other reader runs, so its
 * trailing digit is never read as a count ("us-east-1 g5.xlarge" is not "1 g5.xlarge").
 */
export function extractRegionCode(scan: GoalScan): string | undefined {
  const code = scan.takeFirst(REGION_RE) ?? scan.takeFirst(REGION_SHAPED_RE);
  if (!code?.[1]) return undefined;
  if (!AWS_REGIONS.includes(code[1])) unknownRegion(scan, code[1]);
  return code[1];
}

/** The AWS region the goal names by place, or an odd token after "region"; codes are read first. */
export function extractRegion(scan: GoalScan, code?: string): string | undefined {
  if (code) return code;
  const place = scan.takeFirstFolded(PLACE_RE);
  if (place?.[1]) return PLACES[place[1]];
  const odd = scan.takeFirst(AFTER_REGION_RE);
  if (odd?.[1]) unknownRegion(scan, odd[1]);
  return undefined;
}
