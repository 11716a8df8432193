import { extractBrake, extractBudget, type BudgetReading } from './extract-budget.js';
import { extractCompute, type ComputeFacts } from './extract-compute.js';
import { extractCounts, type CountFacts } from './extract-counts.js';
import { extractDns, extractTtl, extractTxtValue, type DnsFacts } from './extract-dns.js';
import { extractNames, takeNamedStack, type NameFacts } from './extract-names.js';
import { extractNetwork, type NetworkFacts } from './extract-network.js';
import { extractRegion, extractRegionCode } from './extract-region.js';
import { noteRefusals } from './extract-refusals.js';
import { extractSchedule, type ScheduleFacts } from './extract-schedule.js';
import { extractTimezone } from './extract-timezone.js';
import { GoalScan } from './goal-scan.js';
import { readKeyValues } from './read-key-values.js';
import { readTicketIds } from './read-ticket-ids.js';
import { readTypos } from './read-typos.js';
import { spellNumbers } from './spell-numbers.js';

/** Everything the goal states, before any blueprint is chosen. */
export interface GoalFacts {
  raw: string;
  lower: string;
  /** Lowercased text with every recognised value blanked: what is left are the keywords. */
  rest: string;
  errors: string[];
  /** Clauses read but not plannable as written ("off nights and weekends"): asked about, never dropped. */
  questions: string[];
  network: NetworkFacts;
  compute: ComputeFacts;
  counts: CountFacts;
  schedule: ScheduleFacts;
  dns: DnsFacts;
  names: NameFacts;
  region?: string;
  timezone?: string;
  budgetUsd?: number;
  /** "brake at 90%": the budget brake's threshold, a share of the budget. */
  brakeRatio?: number;
  /** Where the brake was read. */
  brakeRead: BudgetReading;
  /** The budget's words, and a line when they were converted ("annual $3,600" → $300/month). */
  budgetRead: BudgetReading;
  refusals: string[];
  /** Ticket ids ("OPS-4412"): references kept out of every value. */
  tickets: string[];
  /** "also", "add", "in addition": lists extend the stack's current ones. */
  additive: boolean;
  /** "only", "instead", "restrict": lists replace the current ones. */
  replacing: boolean;
  /** "allow", "let … reach", "grant": access said as a grant, which a change adds to what is allowed. */
  granting: boolean;
}

/**
 * Reads the goal in a fixed order; each reader blanks what it took, so a later reader never
 * mistakes an IP for a count or a model tag for a clock time.
 */
export function extractFacts(text: string, known: (stack: string) => boolean, asWritten = text): GoalFacts {
  const scan = new GoalScan(text);
  const dns: DnsFacts = { fqdns: [], remove: false, keyword: false };
  extractTxtValue(scan, dns);
  const tickets = readTicketIds(scan);
  // A ticket's "blueprint: proxmox-k3s" is read by the blueprint chooser from the whole text.
  scan.take(/\bblueprint\s*[:=]\s*(?:aws-spot-ollama|asg-schedule|proxmox-k3s|dns-record)\b/g);
  readKeyValues(scan);
  readTypos(scan);
  // "stack p3": the name before the readers of instance families, models, regions and days.
  const namedStack = takeNamedStack(scan);
  // A region code before numbers as words: "eu-north-1, two thousand" is no "1, 2 1000".
  const regionCode = extractRegionCode(scan);
  spellNumbers(scan);
  const network = extractNetwork(scan);
  const compute = extractCompute(scan);
  // Before the budget: "budget brake at 90%" is no amount.
  const brakeRead: BudgetReading = {};
  const brakeRatio = extractBrake(scan, brakeRead);
  const budgetRead: BudgetReading = {};
  const budgetUsd = extractBudget(scan, budgetRead);
  const timezone = extractTimezone(scan);
  const region = extractRegion(scan, regionCode);
  extractTtl(scan, dns);
  const schedule = extractSchedule(scan);
  const names = extractNames(scan, known, namedStack);
  extractDns(scan, dns);
  const counts = extractCounts(scan);
  if (compute.rangeWithType && counts.min === undefined && counts.max === undefined) {
    counts.min = compute.rangeWithType.min;
    counts.max = compute.rangeWithType.max;
  }
  return {
    raw: text,
    lower: scan.lower,
    rest: scan.rest,
    errors: scan.errors,
    questions: scan.questions,
    network,
    compute,
    counts,
    schedule,
    dns,
    names,
    region,
    timezone,
    budgetUsd,
    ...(brakeRatio !== undefined ? { brakeRatio } : {}),
    brakeRead,
    budgetRead,
    // Read from the goal as written too: reading its layout (tables, `|` fields, corrections)
    // must never hide a request the blueprints refuse.
    refusals: noteRefusals(scan.lower, asWritten),
    tickets,
    additive: /\b(?:also|additionally|in addition|as well|too|add|plus|extra)\b/.test(scan.lower),
    replacing: /\b(?:only|instead|restrict(?:ed)?|replace|just)\b/.test(scan.lower),
    granting:
      /\b(?:allow(?:s|ed|ing)?|permit(?:s|ted)?|let|grant(?:s|ed)?|open\s+(?:it\s+|up\s+)*to|give\s+access)\b/.test(
        scan.lower,
      ),
  };
}
