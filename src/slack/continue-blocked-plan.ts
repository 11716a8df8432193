import { MAX_GOAL_CHARS } from '../agents/atlas/default-atlas-defaults.js';
import { listNotUnderstood } from '../agents/atlas/list-not-understood.js';
import type { PlanRecord } from '../plan/plan-record.js';
import { checkRequester } from './check-access.js';
import type { SlackDeps } from './slack-deps.js';

/** A message posted in a thread (Events API `message` without a subtype). */
export interface ThreadReply {
  user: string;
  channel: string;
  threadTs: string;
  text: string;
}

export type Continued =
  | { kind: 'ignored'; why: string }
  | { kind: 'refused'; message: string }
  | { kind: 'continued'; from: PlanRecord; planId: string };

/** How many recent plans a reply's thread is looked up among. */
const LOOKUP = 200;

/** The plan whose review thread this is, when Atlas ended it with a question. */
async function blockedPlanOf(deps: SlackDeps, channel: string, threadTs: string): Promise<PlanRecord | undefined> {
  const recent = await deps.plans.recent(LOOKUP);
  return recent.find(
    (p) => p.threadTs === threadTs && p.channel === channel && p.state === 'BLOCKED' && p.blocked && !p.spec,
  );
}

/**
 * The original goal with the answer after it, read by Atlas as one request. The words Atlas
 * could not read (what it asked about) are taken out first: the answer says them again.
 */
export function mergeAnswer(goal: string, answer: string, notUnderstood: readonly string[] = []): string {
  let head = goal;
  for (const words of notUnderstood) if (words) head = head.split(words).join(' ');
  head = head
    .replace(/\s+([,;.])/g, '$1')
    .replace(/([,;])(?:\s*[,;])+/g, '$1')
    .replace(/\s{2,}/g, ' ')
    .trim()
    .replace(/[.;,\s]+$/, '');
  return `${head}; ${answer.trim()}`.slice(0, MAX_GOAL_CHARS);
}

/**
 * A reply in the thread of a plan Atlas blocked with a question: when the requester wrote it,
 * their answer joins the original goal and a new plan starts in the same thread. Anyone else's
 * reply, and replies in other threads, change nothing.
 */
export async function continueBlockedPlan(deps: SlackDeps, reply: ThreadReply): Promise<Continued> {
  const text = reply.text.trim();
  if (!text) return { kind: 'ignored', why: 'empty reply' };
  const plan = await blockedPlanOf(deps, reply.channel, reply.threadTs);
  if (!plan) return { kind: 'ignored', why: 'not the thread of a plan waiting for an answer' };
  if (reply.user !== plan.requestedBy) return { kind: 'ignored', why: 'only the requester answers for their goal' };
  const access = checkRequester(deps.config, reply.user);
  if (access) return { kind: 'refused', message: access };
  const r = await deps.ops.submitGoal(
    {
      text: mergeAnswer(plan.goal, text, listNotUnderstood(plan.blocked?.rationale ?? [])),
      requestedBy: reply.user,
      channel: plan.channel ?? reply.channel,
      ...(plan.target ? { target: plan.target as NonNullable<PlanRecord['spec']>['target'] } : {}),
      ...(plan.budgetUsd !== undefined ? { budgetUsd: plan.budgetUsd } : {}),
      ...(plan.stack ? { stack: plan.stack } : {}),
    },
    'slack',
    { threadTs: reply.threadTs },
  );
  if (!r.ok) return { kind: 'refused', message: r.refusal };
  return { kind: 'continued', from: plan, planId: r.value.id };
}
