import { Cron } from 'croner';
import type { Redis } from 'ioredis';
import type { GoalStatement } from '../../../contracts/index.js';
import { ok, refuse, type Result } from '../../errors.js';
import type { StackStore } from '../../store/stack-store.js';
import { SuggestionStore } from '../../store/suggestion-store.js';
import { listSavingsSuggestions, type SuggestOptions, type Suggestion } from './list-savings-suggestions.js';
import { readSpotPrices } from './spot-price-cache.js';

export interface SavingsDeps {
  redis: Redis;
  prefix?: string;
  stacks: Pick<StackStore, 'stacks' | 'current'>;
  atlas: SuggestOptions['atlas'];
  region: string;
  usage?: SuggestOptions['usage'];
  now?: () => Date;
}

export interface SuggestionList {
  at: string;
  suggestions: Suggestion[];
  notes: string[];
}

const store = (d: Pick<SavingsDeps, 'redis' | 'prefix'>) =>
  new SuggestionStore({ redis: d.redis, prefix: d.prefix ?? 'crew' });

/** Prices the suggestions for every applied stack now, and keeps the list so `--plan <n>` means what was shown. */
export async function suggestSavings(d: SavingsDeps): Promise<SuggestionList> {
  const now = d.now?.() ?? new Date();
  const applied = [];
  for (const stack of await d.stacks.stacks()) {
    const v = await d.stacks.current(stack);
    if (v?.spec) applied.push({ ...v, stack });
  }
  // Per region, as Sentinel reads them for a plan in that region.
  const spotPrices: Record<string, Record<string, number>> = {};
  for (const region of new Set(applied.map((v) => v.spec?.region ?? d.region)))
    spotPrices[region] = (await readSpotPrices(d.redis, region, d.prefix ?? 'crew')).prices;
  const out = listSavingsSuggestions(applied, {
    atlas: d.atlas,
    now,
    defaultRegion: d.region,
    spotPrices,
    ...(d.usage ? { usage: d.usage } : {}),
  });
  const list: SuggestionList = { at: now.toISOString(), ...out };
  await store(d).saveList(list);
  return list;
}

export interface PlanSuggestionOptions {
  n: number;
  requestedBy: string;
  /** The surface submitting (cli, slack, api). */
  producer: string;
  channel?: string;
  /** The list the person saw (a button's); a newer list refuses, since its numbers may differ. */
  listAt?: string;
  ops: { submitGoal(goal: GoalStatement, producer: string): Promise<Result<{ id: string }>> };
}

/**
 * Submits suggestion n of the last list as a normal goal: Atlas reads it, Forge plans it,
 * Sentinel prices it and a different person approves it, as any plan. Records it accepted.
 */
export async function planSuggestion(
  d: SavingsDeps,
  o: PlanSuggestionOptions,
): Promise<Result<{ planId: string; suggestion: Suggestion }>> {
  const last = (await store(d).lastList()) as SuggestionList | undefined;
  if (o.listAt && last && last.at !== o.listAt)
    return refuse(
      'refused',
      `these suggestions are from ${o.listAt}; a newer list (${last.at}) has replaced them: plan from the newest list or \`crew suggest\``,
    );
  const list = last ?? (await suggestSavings(d));
  const s = list.suggestions.find((x) => x.n === o.n);
  if (!s)
    return refuse(
      'bad-input',
      list.suggestions.length
        ? `there is no suggestion ${o.n}: the last list (${list.at}) has 1–${list.suggestions.length}`
        : 'there are no savings suggestions to plan',
    );
  if (!s.goal)
    return refuse('blocked', `suggestion ${o.n} (${s.title}) is not a plan the crew drafts: ${s.howTo ?? ''}`);
  const submitted = await o.ops.submitGoal(
    { text: s.goal, requestedBy: o.requestedBy, stack: s.stack, ...(o.channel ? { channel: o.channel } : {}) },
    o.producer,
  );
  if (!submitted.ok) return submitted;
  await store(d).accept({
    planId: submitted.value.id,
    stack: s.stack,
    kind: s.kind,
    monthlyUsd: s.monthlyUsd,
    acceptedAt: (d.now?.() ?? new Date()).toISOString(),
    acceptedBy: o.requestedBy,
  });
  return ok({ planId: submitted.value.id, suggestion: s });
}

const usd = (n: number) => `$${n.toFixed(2)}`;

/** Plain text for the terminal and Slack. */
export function renderSuggestionsText(list: SuggestionList): string {
  if (list.suggestions.length === 0)
    return [
      'No savings suggestions: every applied stack already runs as cheaply as the crew knows how.',
      ...list.notes.map((n) => `note: ${n}`),
    ].join('\n');
  const total = list.suggestions.reduce((sum, s) => sum + s.monthlyUsd, 0);
  const lines = [
    `Savings suggestions (${list.at.slice(0, 16).replace('T', ' ')} UTC): ${usd(total)}/month, ${usd(total * 12)}/year in all`,
    '',
  ];
  for (const s of list.suggestions) {
    lines.push(
      `${s.n}. ${s.stack}: ${s.title} (${usd(s.yearlyUsd)}/year; ${usd(s.currentMonthlyUsd)} → ${usd(s.proposedMonthlyUsd)}/month)`,
    );
    lines.push(`   why: ${s.why}`);
    lines.push(s.goal ? `   plan it: crew suggest --plan ${s.n}  (goal: "${s.goal}")` : `   how: ${s.howTo ?? ''}`);
  }
  lines.push(...list.notes.map((n) => `note: ${n}`));
  return lines.join('\n');
}

/** Monday 08:00 in CREW_TZ, an hour before the cost digest. */
export const DEFAULT_SUGGEST_CRON = '0 8 * * 1';

/** Lists (and posts) the suggestions on a cron in the team's time zone; `protect` keeps runs from overlapping. */
export function scheduleSuggestions(o: {
  cron?: string;
  timezone: string;
  run: () => Promise<unknown>;
  onError?: (err: unknown) => void;
}): Cron {
  return new Cron(
    o.cron ?? DEFAULT_SUGGEST_CRON,
    { timezone: o.timezone, name: 'crew-savings-suggestions', protect: true },
    async () => {
      await o.run().catch((err: unknown) => o.onError?.(err));
    },
  );
}
