import type { DriftClick } from '../agents/forge/drift-chat-triage.js';
import type { SuggestionList } from '../agents/finpilot/suggest-savings.js';
import type { Result } from '../errors.js';

/** FinOps as a surface sees it: the Slack surface only relays these; absent means FinOps is not configured. */
export interface FinOpsHooks {
  schedule?(args: string[], user: string): Promise<string>;
  digest?(): Promise<{ text: string; png?: Buffer }>;
  /** `/crew drift [<stack>]` and `/crew drift snooze <stack> <date>`: the drift report as plain text. */
  drift?(args: string[], user: string): Promise<string>;
  /** Revert / Adopt / Snooze on a drift report: the answer for the person as plain text (the surface escapes it). */
  triageDrift?(click: DriftClick): Promise<Result<string>>;
  /** `/crew rollout <stack>`: the stack's instance refreshes on AWS as plain text (or why it has none). */
  rollout?(stack: string): Promise<string>;
  /** `/crew suggest`: prices the savings suggestions now (and keeps the list for Plan this). */
  suggest?(): Promise<SuggestionList>;
  /** "Plan this" / `/crew suggest plan <n>`: submits suggestion n as a goal; the reply line for the person. */
  planSuggestion?(o: { n: number; listAt?: string; user: string; channel?: string }): Promise<Result<string>>;
}
