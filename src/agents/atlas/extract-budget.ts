import type { GoalScan } from './goal-scan.js';
import { firstOnly, matchesOf, regex } from '../../util/regexps.js';

const AMOUNT = '(\\d{1,3}(?:,\\d{3})+|\\d+(?:\\.\\d+)?)(?:\\s*(k|m|grand|thousand)\\b)?';
const PER =
  '(?:\\s*(?:/|per|a|an|each)\\s*(month|mo|mth|hour|hr|h|day|year|yr|annum)\\b|\\s+(monthly|annually|yearly))';
/** "our annual budget for this is $3,600": a yearly word before the amount, in the same clause. */
const YEARLY_BEFORE = /\b(?:annual(?:ly)?|yearly|per\s+year|a\s+year|per\s+annum)\b[^.;!?$\d]{0,40}$/;
const HOURS_PER_MONTH = 730;

const PATTERNS: RegExp[] = [
  regex(`\\$\\s*${AMOUNT}${PER}?`, 'g'),
  regex(`\\b${AMOUNT}\\s*(?:usd|dollars?|bucks|\\$)${PER}?`, 'g'),
  regex(`\\bbudget(?:\\s*[=:]|\\s+(?:of|is|to|at))?\\s*(?:usd\\s*)?${AMOUNT}${PER}?`, 'g'),
  // "USD 900/month": the currency code before the amount.
  regex(`\\busd\\s*${AMOUNT}${PER}?`, 'g'),
  regex(`\\b${AMOUNT}(?:\\s*(?:usd|dollars?))?${PER}`, 'g'),
  // "2 grand", "a grand a month tops": "grand" is always money.
  regex(`\\b(\\d{1,3}(?:,\\d{3})+|\\d+(?:\\.\\d+)?)\\s*(grand)\\b${PER}?`, 'g'),
];

/** Where the budget was read, and how it was converted when not monthly, for the provenance. */
export interface BudgetReading {
  at?: number;
  end?: number;
  note?: string;
}

/**
 * Reads a monthly budget: "$300/month", "300 USD", "500 per month max", "budget 1.2k".
 * Hourly amounts are turned into a month of 730 hours.
 */
export function extractBudget(scan: GoalScan, read: BudgetReading = {}): number | undefined {
  // Amounts a person could not mean, refused rather than misread ("$-5" as no cap, "$1e99" as
  // $1, "budget 0x10" as $0): a budget is a plain decimal number.
  const odd = scan.takeFirst(
    /(?:\$\s*|\bbudget\s*(?:of\s+|is\s+|=\s*|:\s*)?(?:usd\s*)?(?:\$\s*)?)(?:-\s*\d|\d+(?:\.\d+)?e[+-]?\d|0[xbo][0-9a-f])[\w.$/]*/g,
  );
  if (odd) {
    const amount = odd[0].trim().replace(/^budget\s*(?:of\s+|is\s+|=\s*|:\s*)?/, '');
    scan.fail(`budget ${amount} is not a usable amount: give a positive number of USD per month, e.g. $300/month`);
    return undefined;
  }
  // "a grand", "one grand": the article is the amount.
  for (const m of matchesOf(/\b(?:a|an|one)(?=\s+grand\b)/g, scan.rest)) scan.rewrite(m.index, m[0].length, '1');
  for (const re of PATTERNS) {
    const found = scan.takeFirst(re);
    if (!found) continue;
    const raw = (found[1] ?? '').replaceAll(',', '');
    let n = Number(raw);
    if (found[2] === 'k' || found[2] === 'grand' || found[2] === 'thousand') n *= 1000;
    if (found[2] === 'm') n *= 1_000_000;
    const period = found[3] ?? found[4];
    if (period && /^(?:hour|hr|h)$/.test(period)) n *= HOURS_PER_MONTH;
    else if (period === 'day') n *= 30;
    else if (
      (period && /^(?:year|yr|annum|annually|yearly)$/.test(period)) ||
      (!period && YEARLY_BEFORE.test(scan.lower.slice(Math.max(0, found.index - 60), found.index)))
    ) {
      n /= 12;
      read.note = `Budget read as yearly ("${scan.rawAt(found.index, found[0].trim().length)}"): $${Math.round(n * 100) / 100}/month is a twelfth of it.`;
    }
    read.at = found.index;
    read.end = found.index + found[0].trimEnd().length;
    if (!Number.isFinite(n) || n > 1e9) {
      scan.fail(`budget ${found[0].trim()} is not a usable amount`);
      return undefined;
    }
    if (n === 0) {
      scan.fail(
        `budget ${found[0].trim()} is not a usable budget: a $0 budget would brake every plan that costs anything; give an amount greater than 0, or leave the budget out for none`,
      );
      return undefined;
    }
    return Math.round(n * 100) / 100;
  }
  return undefined;
}

const PERCENT = '(\\d+(?:\\.\\d+)?)\\s*(?:%|percent\\b|pct\\b)';
const BRAKE_PERCENT: RegExp[] = [
  // "brake at 90%", "budget brake: 75 %", "brake when at 90 percent of the budget", "brake threshold 85%".
  regex(
    `\\b(?:budget\\s+)?brake(?:\\s+(?:at|to|on|when(?:\\s+at)?|trips?\\s+at|threshold(?:\\s+(?:at|of))?|of))?\\s*(?:=|:)?\\s*${PERCENT}(?:\\s+of\\s+(?:the\\s+)?budget\\b)?`,
    'g',
  ),
  // "a 90% brake", "90 % budget brake".
  regex(`\\b${PERCENT}\\s+(?:budget\\s+)?brake\\b`, 'g'),
];
/**
 * "set the brake on ollama-dev at 90%": the stack between the brake and its share is left to the
 * stack reader (groups: the brake's words, the share's words, the number).
 */
const BRAKE_ON_STACK = regex(
  `\\b((?:budget\\s+)?brake)\\s+(?:on|for|of)\\s+(?:the\\s+)?[a-z][a-z0-9-]*(?:\\s+stack)?\\s+((?:at|to)\\s*${PERCENT})`,
  'dg',
);
/** "brake ratio 0.9", "brakeRatio=0.85": the share written as a fraction. */
const BRAKE_RATIO = /\b(?:budget\s+)?brake[\s_-]?ratio\s*(?:=|:|of|at)?\s*(\d*\.?\d+)\b/g;

/**
 * The budget brake's threshold as a share of the budget: "brake at 90%", "a 75 % brake",
 * "brake ratio 0.9". Undefined when the goal states none; a share outside (0, 100 %] is refused.
 */
export function extractBrake(scan: GoalScan, read: BudgetReading = {}): number | undefined {
  for (const re of BRAKE_PERCENT) {
    const found = scan.takeFirst(re);
    if (!found) continue;
    return brakeShare(scan, Number(found[1]) / 100, found, read);
  }
  const onStack = firstOnly(BRAKE_ON_STACK).exec(scan.rest);
  if (onStack?.indices?.[1] && onStack.indices[2]) {
    for (const [start, end] of [onStack.indices[1], onStack.indices[2]]) scan.blank(start, end - start);
    return brakeShare(scan, Number(onStack[3]) / 100, onStack, read);
  }
  const ratio = scan.takeFirst(BRAKE_RATIO);
  return ratio ? brakeShare(scan, Number(ratio[1]), ratio, read) : undefined;
}

function brakeShare(scan: GoalScan, share: number, found: RegExpExecArray, read: BudgetReading): number | undefined {
  read.at = found.index;
  read.end = found.index + found[0].trimEnd().length;
  if (Number.isFinite(share) && share > 0 && share <= 1) return Math.round(share * 10_000) / 10_000;
  scan.fail(
    `${scan.rawAt(found.index, found[0].trim().length)} is not a usable budget brake: give a share of the budget above 0 and at most 100 %, e.g. "brake at 90%"`,
  );
  return undefined;
}
