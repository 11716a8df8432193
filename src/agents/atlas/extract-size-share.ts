import type { GoalScan } from './goal-scan.js';

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
export function extractSizeFactor(scan: GoalScan): SizeFactor | undefined {
  const m = scan.takeFirst(FACTOR_RE);
  if (m) {
    const verb = VERBS[m[1] as string] as SizeFactor['verb'];
    return { factor: FACTORS[verb], verb };
  }
  return scan.takeFirst(CUT_IN_HALF) ? { factor: 0.5, verb: 'halve' } : undefined;
}

/** Reads the on-demand part said as a share; undefined when the goal says none. */
export function extractOnDemandShare(scan: GoalScan): OnDemandShare | undefined {
  const m = scan.takeFirst(SHARE_RE);
  if (!m) return undefined;
  const said = scan.rawAt(m.index, m[0].length).replace(/\s+/g, ' ').trim();
  if (m[1] !== undefined)
    return m[1] === 'half' ? { share: 0.5, said, label: 'half' } : { share: 0.25, said, label: 'a quarter' };
  if (m[2] !== undefined) return { share: Number(m[2]) / 100, said, label: `${m[2]}%` };
  return { share: 0.5, said, label: 'half' };
}
