import type { TargetName } from '../../../contracts/index.js';
import type { GoalScan } from './goal-scan.js';
import { isProseWord } from './read-word-class.js';
import { matchesOf, regex } from '../../util/regexps.js';

export interface NameFacts {
  asgName?: string;
  /** Stack named explicitly ("stack x", "called x", "for x"). */
  stack?: string;
  target?: TargetName;
}

const STACK_PATTERN = /^[a-z][a-z0-9-]{0,39}$/;
const NOT_STACKS = new Set([
  'for',
  'in',
  'on',
  'with',
  'to',
  'that',
  'the',
  'and',
  'of',
  'named',
  'called',
  'please',
  'a',
  'an',
  'it',
  'is',
  'which',
  'on-demand',
  'scale-to-zero',
  'kill-switch',
  'off-hours',
  'per-month',
  'k3s',
  'spot',
  'gpu',
  'asg',
  'weekend',
  'weekends',
  'this',
  'my',
  'our',
  'new',
  'private',
  'called',
  'as',
]);
const ASG_STOP = new Set([
  'schedule',
  'for',
  'in',
  'with',
  'on',
  'named',
  'called',
  'the',
  'a',
  'to',
  'and',
  'of',
  'scheduled',
  'group',
  'asg',
  // Prepositions, pronouns and schedule words that follow "ASG" in a sentence, never its name.
  'at',
  'from',
  'by',
  'until',
  'till',
  'every',
  'each',
  'off',
  'up',
  'down',
  'it',
  'its',
  'this',
  'that',
  'which',
  'so',
  'now',
  'tonight',
  'stop',
  'start',
  'over',
  'during',
  'weekend',
  'weekends',
  'nightly',
  'daily',
  'please',
  'too',
  'as',
  'is',
  'should',
  'must',
  'will',
  'then',
  'but',
  'when',
  'after',
  'before',
  'my',
  'our',
  'their',
  // Sizes written after the noun ("asg min 1 max 6") are values of the group, never its name.
  'min',
  'max',
  'desired',
]);
/**
 * "the node called hv-07", "a record named api", "template called ubuntu-24": a name after
 * "called" belongs to the noun before it; only after no such noun does it name the stack.
 */
const NOT_A_STACK_NOUN = '(?<!\\b(?:record|entry|host|node|template|image|bridge|network|model)\\s+)';
const isDay = (w: string) => /^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*$/.test(w);
const REGION_LIKE = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;

function nameOk(name: string): boolean {
  return !NOT_STACKS.has(name) && !REGION_LIKE.test(name);
}

/**
 * A name follows its noun directly: when another reader took a value between them ("ollama asg
 * us-east-1 g4dn.xlarge min 1"), the noun names a kind of group, and the next word is no name.
 */
function followsDirectly(scan: GoalScan, m: RegExpExecArray): boolean {
  const name = m[1];
  if (name === undefined) return true;
  const end = m.index + m[0].length - name.length;
  return scan.rest.slice(m.index, end) === scan.lower.slice(m.index, end);
}

/** "asg needed", "stack required for tests": a verb form, adverb or function word names nothing. */
function isProse(scan: GoalScan, m: RegExpExecArray): boolean {
  const name = m[1];
  return name !== undefined && /^[a-z']+$/.test(name) && isProseWord(scan.raw, m.index + m[0].length - name.length);
}

function readLooseAsgName(scan: GoalScan): string | undefined {
  const grouped = /\basgs?\b|\bauto\s*-?\s*scaling\b/.test(scan.lower)
    ? /\b(?:the\s+)?["'`]?([a-z0-9][a-z0-9._]*[-\d][a-z0-9._-]*)["'`]?\s+(?:group|fleet|pool)\b/.exec(scan.rest)
    : null;
  const quoted =
    /\b(?:weekend|schedul\w*|stop\s*\/\s*start|shutdown)\b/.test(scan.lower) &&
    !/\b(?:stack|record|node|host|template|k3s|proxmox|ollama)\b/.test(scan.rest)
      ? /\b(?:on|for|of|from)\s+`([a-z0-9][a-z0-9._-]*[-\d][a-z0-9._-]*)`/.exec(scan.rest)
      : null;
  // "asg-schedule for nightly-builds": the catalog's name, then the group it is for.
  const forBlueprint =
    /\basg-schedule\s+(?:for|on|of)\s+(?:the\s+)?(?:asg\s+)?["'`]?([a-z0-9][a-z0-9._-]*[a-z0-9])/.exec(scan.rest);
  const m = forBlueprint ?? grouped ?? quoted;
  if (!m?.[1]) return undefined;
  const at = m.index + m[0].indexOf(m[1]);
  scan.blank(m.index, m[0].length);
  return scan.rawAt(at, m[1].length);
}

/**
 * "stack p3", "workspace g5", "stack named mistral": the word after the noun is the stack's name,
 * read before any value reader can take it as an instance family, a model, a region or a day
 * (which left the goal on the default stack). Taken from the goal; extractNames uses the match.
 */
export function takeNamedStack(scan: GoalScan): RegExpExecArray | undefined {
  return scan.take(
    /\b(?:stack|workspace)(?:[\s_-]*name\b)?\s*(?:named\s+|called\s+|=\s*|:\s*)?["'`]?([a-z0-9][a-z0-9_.-]*)/g,
    // "stack name ../x": the word "name" introduces the name; it is not one.
    (m) => !NOT_STACKS.has(m[1] ?? '') && !isProse(scan, m) && !(m[1] === 'name' && /stack\s+name$/.test(m[0])),
  )[0];
}

/**
 * Reads the ASG name (original case), the stack and an explicit target. `known` says whether a
 * stack exists, so "for ollama-dev" is a stack while "for spot" is prose. `named` is the goal's
 * "stack <name>", read first by takeNamedStack.
 */
export function extractNames(
  scan: GoalScan,
  known: (stack: string) => boolean,
  named: RegExpExecArray | undefined,
): NameFacts {
  const facts: NameFacts = {};
  const asgRe =
    /\b(?:asg|auto\s*-?\s*scaling\s+group|autoscaling\s+group)s?(?:[ \t_-]*name\b)?[ \t]*(?:named\s+|called\s+|=\s*|:\s*)?["'`]?([a-z0-9][a-z0-9._-]*)|\b([a-z0-9][a-z0-9._-]*-asg)\b/g;
  // "the batch-gpu ASG": the name before the noun, when none follows it.
  const before = /\b([a-z0-9][a-z0-9._-]*)["'`]?\s+(?:asg|auto\s*-?\s*scaling\s+group)s?\b/g;
  // "the integration-tests ASG shuts off": a name-shaped word before the noun outranks a plain
  // word after it, which is the sentence going on (a verb), not a name.
  const beforeOk = (m: RegExpExecArray) =>
    !ASG_STOP.has(m[1] ?? '') && !NOT_STACKS.has(m[1] ?? '') && /[-_.\d]/.test(m[1] ?? '');
  const shaped = matchesOf(before, scan.rest).find(beforeOk);
  const asg =
    scan.take(
      asgRe,
      (m) =>
        !ASG_STOP.has(m[1] ?? m[2] ?? '') &&
        !isDay(m[1] ?? m[2] ?? '') &&
        followsDirectly(scan, m) &&
        !isProse(scan, m) &&
        !(shaped && m[1] !== undefined && /^[a-z]+$/.test(m[1]) && !/[:=]|named|called/.test(m[0])),
    )[0] ?? scan.take(before, beforeOk)[0];
  // "the image-resizer group (it's an ASG …)", "the weekend stop/start on `mobile-api-canary`": a
  // name-shaped group with the ASG named elsewhere, or a quoted name in a schedule's words.
  const loose = asg ? undefined : readLooseAsgName(scan);
  if (loose) {
    facts.asgName = loose;
  } else if (asg) {
    const name = asg[1] ?? asg[2] ?? '';
    const at = asg.index + asg[0].lastIndexOf(name);
    facts.asgName = scan.rawAt(at, name.length).replace(/[.]+$/, '');
  }
  const explicit =
    named ??
    scan.take(
      regex(`${NOT_A_STACK_NOUN}\\b(?:called|named)\\s+["'\`]?([a-z0-9][a-z0-9_.-]*)`, 'g'),
      (m) => !NOT_STACKS.has(m[1] ?? '') && !isProse(scan, m),
    )[0] ??
    // "call it gpt-lab", "name the cluster k3s-homelab", a ticket's "Cluster: k3s-homelab".
    scan.take(
      /(?:\b(?:call|name)\s+(?:it|this|that|them|the\s+(?:stack|cluster|deployment|setup|thing|environment|env))\s+|(?:^|\n|[,;]\s*)(?:cluster|deployment)(?:[\s_-]*name)?\s*[:=]\s*)["'`]?([a-z0-9][a-z0-9_.-]*)/g,
      (m) => !NOT_STACKS.has(m[1] ?? '') && !isProse(scan, m),
    )[0];
  if (explicit?.[1] === undefined) refuseUnusableStack(scan);
  if (explicit?.[1] !== undefined) {
    // The whole token as written, so "p-$(id)" is refused rather than read as "p-".
    const start = (explicit.index ?? 0) + explicit[0].length - explicit[1].length;
    const token = scan.rawAt(start, 80).split(/[\s,;]/)[0] ?? explicit[1];
    // Closing quotes and sentence punctuation ("a stack called x: …", "stack x!") end the name, and
    // so does a bracket the name did not open ("(stack: x)"; "p-$(id)" stays whole, and refused).
    const unopened = /[([{]/.test(token) ? token : token.replace(/[)\]}]+(?=["'`.:!?]*$)/, '');
    const name = unopened.replace(/["'`.:!?]+$/, '');
    if (!STACK_PATTERN.test(name))
      scan.fail(
        `stack name "${name}" is not valid: use lowercase letters, digits and dashes, starting with a letter (max 40)`,
      );
    else facts.stack = name;
  }
  if (!facts.stack) {
    // Any dashed token that is a known stack, else one after a preposition or a change verb; a
    // name before "node", "template" or "bridge" ("on the pve-small node") names that, not the stack.
    const dashed = /(?<![\w.-])([a-z][a-z0-9]*(?:-[a-z0-9]+)+)(?![\w.-])/g;
    const knownHit = scan.take(dashed, (m) => known(m[1] ?? ''))[0];
    const verbHit =
      knownHit ??
      scan.take(
        /\b(?:for|on|to|of|in|scale|resize|update|change|modify|shrink|grow|upgrade|downsize|destroy|delete|remove|tear down|pause|drop|switch|move|set|bump|increase|decrease|reduce)\s+(?:the\s+)?(?:stack\s+)?([a-z][a-z0-9]*(?:-[a-z0-9]+)+)(?![\w.-])(?!\s+(?:proxmox\s+|pve\s+)?(?:node|host|template|image|bridge)\b)/g,
        // "on pve-net-lab": a Proxmox host by its conventional name, read as the node, not the stack.
        (m) => nameOk(m[1] ?? '') && STACK_PATTERN.test(m[1] ?? '') && !/^on(?:to)?\s+pve[\d-]/.test(m[0]),
      )[0];
    if (verbHit?.[1]) facts.stack = verbHit[1];
  }
  const target = scan.takeFirst(
    /\btarget\s*(?:=|:|is)?\s*(aws|sandbox|proxmox|dns)\b|\b(?:in|on|into|to|against|using)\s+(?:the\s+)?(sandbox)\b/g,
  );
  if (target) facts.target = (target[1] ?? target[2]) as TargetName;
  return facts;
}

/**
 * "stack ../../etc", "workspace ~root", "called $(id)": a name the explicit reader skips because
 * it does not start like one. Refused with the name, so the goal never lands on the default stack.
 * A bracket opens prose ("a new stack (for tests)"), not a name.
 */
function refuseUnusableStack(scan: GoalScan): void {
  const odd = scan.takeFirst(
    regex(
      `(?:\\b(?:stack|workspace)(?:[\\s_-]*name)?(?:\\s+(?:named\\s+|called\\s+)?|\\s*[=:]\\s*)|${NOT_A_STACK_NOUN}\\b(?:called|named)\\s+)["'\`]?(?=[^\\s,;"'\`]*[\\p{L}\\p{N}])([^a-z0-9\\s,;"'\`([][^\\s,;"'\`]*)`,
      'gu',
    ),
  );
  if (!odd?.[1]) return;
  const start = (odd.index ?? 0) + odd[0].length - odd[1].length;
  const name = scan.rawAt(start, odd[1].length).replace(/[.]+$/, '');
  scan.fail(
    `stack name "${name}" is not valid: use lowercase letters, digits and dashes, starting with a letter (max 40)`,
  );
}
