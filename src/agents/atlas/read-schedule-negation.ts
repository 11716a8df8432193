import type { GoalScan } from './goal-scan.js';
import { regex } from '../../util/regexps.js';

const WEEKEND = String.raw`(?:(?:the\s+|all\s+)?week-?ends?|24\s*\/\s*7|all\s+week(?:\s+long)?|the\s+whole\s+week|every\s+day|sat(?:urday)?s?\s*(?:and|&|\+|,)\s*sun(?:day)?s?)`;
const OBJ = String.raw`(?:\s+(?:it|them|this|that|those|these|everything|the\s+[\w.-]+(?:\s+(?:instances?|nodes?|group|asg|boxes|cluster))?))?`;
const KEPT = String.raw`(?:running|on|up|alive|going|online)`;
const WHEN_SAID = String.raw`(?:\s+(?:on|at|over|during|for|in|through(?:out)?|across)\s+${WEEKEND}|\s+${WEEKEND})`;
const WHEN = `${WHEN_SAID}?`;
/** "leave it running on Saturdays": a day named after it makes it part of a schedule, not none. */
const NO_DAY = String.raw`(?!\s+(?:on|until|till|through|over|during|into|all)\s+(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\b)`;
const NOUN = String.raw`(?:shut\s*-?downs?|schedules?|stops?|off[- ]?hours|scale[- ]?(?:to[- ]?zero|downs?)|kill[- ]?switch(?:es)?|downtime|sleep|power[- ]?offs?)`;

/**
 * Phrases that say "no schedule": the weekend word in them is under a negation, so it must not
 * add a Friday stop. Each is read (and blanked) before the schedule reader looks for weekend words.
 */
const NEGATED: RegExp[] = [
  // "keep it running through the weekend", "leave them on over weekends", "run through the weekend"
  regex(
    String.raw`\b(?:keep|leave|have)${OBJ}\s+${KEPT}${WHEN}${NO_DAY}(?:\s+(?:too|as\s+well))?|` +
      // "keep gp-dev on during weekends": the stack's name between is left to the name reader.
      String.raw`(?=${KEPT}\s)(?<=\b(?:keep|leave)\s+[a-z][\w.-]*\s+)${KEPT}${WHEN_SAID}${NO_DAY}|` +
      String.raw`\b(?:run|running|stay|stays|staying)(?:\s+(?:up|on))?\s+(?:through|over|during|throughout|across|on)\s+${WEEKEND}`,
    'g',
  ),
  // "do not turn it off on weekends", "don't shut it down at the weekend", "never scale it to zero",
  // "please don't schedule it off at weekends"
  regex(
    String.raw`\b(?:do\s+not|don['’]?t|does\s+not|doesn['’]?t|never|must\s+not|mustn['’]?t|should\s+not|shouldn['’]?t|no\s+need\s+to|no\s+longer|not)\s+(?:ever\s+)?(?:turn|shut|switch|power|scale|stop|kill|take|bring|pause|sleep|suspend|schedule|park)${OBJ}(?:\s*(?:off|down|to\s+(?:zero|0)))?${WHEN}`,
    'g',
  ),
  // "we don't want it turned off over the weekend"
  regex(
    String.raw`\b(?:do\s+not|don['’]?t|never)\s+want\b[^.;]{0,60}?\b(?:turned|shut|switched|powered|scaled|stopped)(?:\s*(?:off|down))?${WHEN}`,
    'g',
  ),
  // "don't add a schedule", "do not set up any weekend shutdown", "we don't need a kill switch on it"
  regex(
    String.raw`\b(?:do\s+not|don['’]?t|never|no\s+need\s+to|please\s+no)\s+(?:add|set(?:\s+up)?|put|create|want|need|configure|include|attach|give\s+it)\s+(?:(?:a|an|any|the)\s+)?(?:weekend\s+|weekly\s+|nightly\s+|scheduled\s+|off[- ]?hours\s+)?${NOUN}(?:\s+(?:on|to|for)\s+(?:it|them|this|that))?${WHEN}`,
    'g',
  ),
  // "people hack over the weekend", "it is used on weekends", "we work through the weekend": the
  // weekend is when it is used, so it is no weekend stop.
  regex(
    String.raw`\b(?:hack|work|use|code|train|experiment|play|demo|test|need)(?:s|es|ed|d|ing)?(?:\s+(?:it|them|this|that|on\s+it|with\s+it))?\s+(?:on|over|during|at|through(?:out)?|across)\s+${WEEKEND}`,
    'g',
  ),
  // A ticket's "schedule: none", "schedule=none", "Schedule: n/a"; "runs 24/7".
  /\b(?:weekend\s+)?schedule\s*[:=]?\s*(?:none|no|off|n\/a|nope|never|disabled?|-)(?![\w/-])|\bruns?\s+24\s*\/\s*7\b/g,
  // "no weekend shutdown", "without any schedule", "skip the off-hours"
  regex(
    String.raw`\b(?:no|without(?:\s+(?:a|any|the))?|w\/o|skip(?:\s+the)?)\s+(?:weekend\s+|weekly\s+|nightly\s+|scheduled\s+|off[- ]?hours\s+)?${NOUN}${WHEN}`,
    'g',
  ),
];

/** The words saying the goal wants no stop/start schedule, if any; the phrases are blanked. */
export function readScheduleNegation(scan: GoalScan): string | undefined {
  let said: string | undefined;
  for (const re of NEGATED) for (const m of scan.take(re)) said ??= scan.rawAt(m.index, m[0].trimEnd().length).trim();
  return said;
}
