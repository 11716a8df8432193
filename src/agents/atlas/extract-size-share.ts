import type { GoalScan } from './goal-scan.js';
import { NUM, NUM_A, readNumber } from './read-number.js';
import { regex } from '../../util/regexps.js';

/** "double x", "halve x": the group's size as a multiple of the one it runs. */
export interface SizeFactor {
  factor: number;
  /** The verb, for what Atlas says back ("double", "triple", "halve"). */
  verb: 'double' | 'triple' | 'halve';
}

/** "half on-demand", "25% on-demand": the share of the group's instances bought on demand. */
export interface OnDemandShare {
  share: number;
  /** The words as written, for the rationale. */
  said: string;
  /** The share in words: "half", "a quarter", "30%". */
  label: string;
}

const VERBS: Record<string, SizeFactor['verb']> = { double: 'double', triple: 'triple', halve: 'halve' };
const FACTORS: Record<SizeFactor['verb'], number> = { double: 2, triple: 3, halve: 0.5 };

// What a size verb is about when it is not the group: "double the disk on x" is its volume.
const NOT_THE_GROUP =
  '(?!\\s+(?:the\\s+|its\\s+)?(?:disks?|volumes?|storage|budget|brake|memory|ram|gpu\\s+memory)\\b)';
const GROUP_WORDS =
  '(?:\\s+(?:the\\s+)?(?:size|number\\s+of\\s+(?:instances|nodes|workers|machines|servers)|instances|nodes|workers|machines|capacity|count|group|fleet|asg)(?:\\s+(?:of|in|on|for))?)?';
const FACTOR_RE = new RegExp(`\\b(double|triple|halve)\\b(?!-)${NOT_THE_GROUP}${GROUP_WORDS}`, 'g');
// "cut x in half", "cut the group in half".
const CUT_IN_HALF = /\bcut\s+(?:the\s+)?(?:[\w.-]+\s+){0,2}in\s+half\b/g;

const SHARE_RE = new RegExp(
  [
    // "half spot, half on-demand", "half spot and half on demand"
    '\\bhalf\\s+spot\\s*(?:,|and|/|&)?\\s*half\\s+on[- ]demand\\b',
    // "half on-demand", "half of them on-demand", "a quarter of the instances on demand"
    '\\b(half|(?:a\\s+)?quarter)\\s+(?:of\\s+(?:them|it|the\\s+(?:group|instances|nodes|fleet)|[\\w.-]+)?\\s*)?on[- ]demand\\b',
    // "50% on-demand", "50 percent of x on-demand", "50% of them on demand"
    '\\b(\\d{1,3}(?:\\.\\d+)?)\\s*(?:%|percent\\b)\\s+(?:of\\s+(?:them|it|the\\s+(?:group|instances|nodes|fleet)|[\\w.-]+)?\\s*)?on[- ]demand\\b',
  ].join('|'),
  'g',
);

/** Reads "double x" / "halve x" / "cut x in half"; undefined when the goal says none. */
function extractSizeFactor(scan: GoalScan): SizeFactor | undefined {
  const m = scan.takeFirst(FACTOR_RE);
  if (m) {
    const verb = VERBS[m[1] as string] as SizeFactor['verb'];
    return { factor: FACTORS[verb], verb };
  }
  return scan.takeFirst(CUT_IN_HALF) ? { factor: 0.5, verb: 'halve' } : undefined;
}

/** Reads the on-demand part said as a share; undefined when the goal says none. */
function extractOnDemandShare(scan: GoalScan): OnDemandShare | undefined {
  const m = scan.takeFirst(SHARE_RE);
  if (!m) return undefined;
  const said = scan.rawAt(m.index, m[0].length).replace(/\s+/g, ' ').trim();
  if (m[1] !== undefined)
    return m[1] === 'half' ? { share: 0.5, said, label: 'half' } : { share: 0.25, said, label: 'a quarter' };
  if (m[2] !== undefined) return { share: Number(m[2]) / 100, said, label: `${m[2]}%` };
  return { share: 0.5, said, label: 'half' };
}

// "make x all spot", "spot only", "no more on-demand": no instance bought on demand. The spot
// words stay for the blueprint chooser (they name the capacity); the on-demand ones are taken.
const ALL_SPOT = /\b(?:all|only|fully|entirely|purely|100\s*%)\s+(?:to\s+|on\s+)?spot\b|\bspot[- ]only\b/;
// ("remove the on-demand instances" is left alone: it may mean to stop them.)
const NO_ON_DEMAND =
  /\bno\s+(?:more|longer\s+any)\s+on[- ]demand\b(?:\s+(?:instances?|nodes?|base|capacity))?|\b(?:drop|remove)\s+(?:the\s+|its\s+)?on[- ]demand\s+(?:base|capacity)\b/g;

/** Whether the goal asks for no on-demand instances at all. */
function extractAllSpot(scan: GoalScan): boolean {
  return scan.takeFirst(NO_ON_DEMAND) !== undefined || scan.has(ALL_SPOT);
}

/** The on-demand part and the size's multiple, as the counts carry them. */
export interface OnDemandFacts {
  onDemand?: number;
  onDemandAll?: boolean;
  onDemandShare?: OnDemandShare;
  instancesFactor?: SizeFactor;
}

/** "2 on-demand", "on-demand base 1", "all on-demand", "all spot", "half on-demand", "double x". */
export function readOnDemandAndShares(scan: GoalScan): OnDemandFacts {
  const f: OnDemandFacts = {};
  const allSpot = extractAllSpot(scan);
  const share = extractOnDemandShare(scan);
  if (share) f.onDemandShare = share;
  const factor = extractSizeFactor(scan);
  if (factor) f.instancesFactor = factor;
  const od = scan.takeFirst(
    regex(
      `\\b${NUM_A}[ \\t]+(?:(?:is|are|as|of them)\\s+)?on[- ]demand\\b(?:\\s+(?:instances?|nodes?|base))?|\\bon[- ]demand\\s+base(?:\\s*[=:]|\\s+(?:of|to|is))?\\s*${NUM}\\b|\\bbase\\s+(?:of\\s+)?${NUM}\\s+on[- ]demand\\b`,
      'g',
    ),
  );
  const said = od?.[1] ?? od?.[2] ?? od?.[3];
  if (said !== undefined) f.onDemand = readNumber(said);
  else if (allSpot) f.onDemand = 0;
  if (scan.takeFirst(/\b(?:all|only|100%)\s+on[- ]demand\b|\bno spot\b/g)) f.onDemandAll = true;
  const either = scan.takeFirst(
    /\b(?:drop|remove|get\s+rid\s+of)\s+(?:the\s+|its\s+|all\s+)?on[- ]demand\s+(?:instances?|nodes?|ones)\b/g,
  );
  if (either)
    scan.ask(
      `"${scan.rawAt(either.index, either[0].length)}" can mean running them on Spot instead ("make x all spot") or stopping them ("scale x to 2"): say which`,
    );
  return f;
}
