import { isDeepStrictEqual } from 'node:util';
import type { PlanSpec } from '../../../contracts/index.js';
import type { AtlasContext, AtlasOutcome, Draft, DraftResult, GoalMeta, Params } from './atlas-types.js';
import { buildAsgSchedule } from './build-asg-schedule.js';
import { buildAwsSpotOllama, type Built } from './build-aws-spot-ollama.js';
import { buildDnsRecord } from './build-dns-record.js';
import { buildProxmoxK3s } from './build-proxmox-k3s.js';
import { chooseBlueprint, type Choice } from './choose-blueprint.js';
import { BLUEPRINT_SUMMARIES, describeCatalog } from './describe-catalog.js';
import { askAboutUnread, describeUnread } from './ask-about-unread.js';
import { extractFacts, type GoalFacts } from './extract-facts.js';
import { normalizeGoalText } from './normalize-goal-text.js';
import { findUnreadValues } from './find-unread-values.js';
import { askAboutTwoBlueprints } from './find-second-blueprint.js';
import { finishSpec } from './finish-spec.js';
import { pickTarget } from './pick-target.js';
import { traceProvenance } from './trace-provenance.js';
import { readGoalInput } from './read-goal-input.js';
import type { Refusal } from '../../errors.js';

export interface RulesRead {
  result: DraftResult;
  facts?: GoalFacts;
  meta?: GoalMeta;
}

/** Looks up a stack's current spec; a failing lookup counts as an unknown stack. */
function makeLookup(ctx: AtlasContext): (stack: string) => PlanSpec | undefined {
  return (stack) => {
    try {
      return ctx.currentSpec?.(stack);
    } catch {
      return undefined;
    }
  };
}

const paramsOf = <B extends PlanSpec['blueprint']>(spec: PlanSpec | undefined, b: B) =>
  spec?.blueprint === b ? (spec.params as Extract<PlanSpec, { blueprint: B }>['params']) : undefined;

/** The rules path up to a draft: read, validate, choose a blueprint, build its params. */
export function readWithRules(goal: string, ctx: AtlasContext): RulesRead {
  const input = readGoalInput(goal, ctx);
  if (!input.ok) return { result: { kind: 'invalid', message: input.refusal } };
  const meta = input.meta;
  const lookup = makeLookup(ctx);
  // Tables, `|` fields, underscored keys and corrected values read as plain words first.
  const normal = normalizeGoalText(meta.text);
  const facts = extractFacts(normal.text, (s) => lookup(s) !== undefined, meta.text);
  if (facts.errors.length > 0) return { result: { kind: 'invalid', message: facts.errors.join('; ') }, facts, meta };
  const named = meta.stack ?? facts.names.stack;
  if (facts.questions.length > 0) {
    const unread = describeUnread(findUnreadValues(facts));
    return {
      result: { kind: 'blocked', reason: facts.questions.join(' '), rationale: [...facts.refusals, ...unread] },
      facts,
      meta,
    };
  }
  const choice = chooseBlueprint(facts, named, lookup);
  if (choice.kind === 'blocked') {
    const unread = describeUnread(findUnreadValues(facts));
    const rationale = choice.unmapped
      ? ['Atlas can draft:', ...describeCatalog(), ...facts.refusals, ...unread]
      : [...facts.refusals, ...unread];
    return { result: { kind: 'blocked', reason: choice.reason, rationale, unmapped: choice.unmapped }, facts, meta };
  }
  const two = askAboutTwoBlueprints(facts, choice.blueprint);
  if (two)
    return {
      result: { kind: 'blocked', reason: two, rationale: [...describeCatalog(), ...facts.refusals] },
      facts,
      meta,
    };
  const result = buildDraft(facts, meta, ctx, choice);
  if (result.kind === 'draft') result.draft.notes.push(...normal.notes);
  return { result: withUnread(result, facts, choice.blueprint), facts, meta };
}

/**
 * Nothing silently dropped: a value-like span no reader used blocks the draft with a question;
 * on a blocked result it is listed beside the reason.
 */
function withUnread(result: DraftResult, facts: GoalFacts, blueprint: PlanSpec['blueprint']): DraftResult {
  const unread = findUnreadValues(facts, blueprint);
  if (unread.length === 0 || result.kind === 'invalid') return result;
  // Nothing changed that Atlas read: what it could not read is what the person meant to change.
  if (result.kind === 'blocked' && !result.unchanged)
    return { ...result, rationale: [...result.rationale, ...describeUnread(unread)] };
  return { kind: 'blocked', reason: askAboutUnread(unread), rationale: describeUnread(unread) };
}

/** What a stack that is not an Ollama group is, for a "stop" it cannot take. */
const NOT_A_GROUP: Record<Exclude<PlanSpec['blueprint'], 'aws-spot-ollama'>, string> = {
  'proxmox-k3s': 'a k3s cluster',
  'asg-schedule': 'a schedule for another group (it stops and starts that group at its times, not now)',
  'dns-record': 'a DNS record',
};

/** Builds the chosen blueprint's params from the facts, with the common choices around them. */
export function buildDraft(
  facts: GoalFacts,
  meta: GoalMeta,
  ctx: AtlasContext,
  choice: Extract<Choice, { kind: 'choice' }>,
): DraftResult {
  const d = ctx.defaults;
  const lookup = makeLookup(ctx);
  const named = meta.stack ?? facts.names.stack;
  const body: string[] = [];
  let stack = choice.stack;
  let current = choice.current;
  let built: Built<Params> | Refusal<'blocked'>;
  // A stop is a group's: a cluster's VMs, a schedule or a record have no size to take to zero.
  if (facts.counts.stop && choice.blueprint !== 'aws-spot-ollama')
    return {
      kind: 'invalid',
      message: `stack ${choice.stack} is ${NOT_A_GROUP[choice.blueprint]}: it has no instances a plan stops; to remove it, roll back the plan that created it`,
    };
  switch (choice.blueprint) {
    case 'aws-spot-ollama':
      built = buildAwsSpotOllama(facts, d, paramsOf(current, 'aws-spot-ollama'), body);
      break;
    case 'asg-schedule':
      built = buildAsgSchedule(facts, d, paramsOf(current, 'asg-schedule'), body, stack);
      break;
    case 'proxmox-k3s':
      built = buildProxmoxK3s(facts, d, paramsOf(current, 'proxmox-k3s'), body);
      break;
    case 'dns-record': {
      const dns = buildDnsRecord(facts, d, named, lookup, body);
      if (dns.ok) {
        stack = dns.stack;
        current = dns.current;
      }
      built = dns;
      break;
    }
  }
  if (!built.ok) {
    if (built.code === 'blocked')
      return { kind: 'blocked', reason: built.refusal, rationale: [...body, ...facts.refusals] };
    return { kind: 'invalid', message: built.refusal };
  }
  const head: string[] = [`Blueprint ${choice.blueprint}: ${BLUEPRINT_SUMMARIES[choice.blueprint]}.`];
  const resolvedStack = stack ?? 'ollama-dev';
  head.push(
    current
      ? `Stack ${resolvedStack} exists: this changes its current plan.`
      : `Stack ${resolvedStack}${choice.stackNamed || named ? ' (named in the goal)' : ' (default name)'}.`,
  );
  const target = pickTarget(choice.blueprint, facts.names.target ?? meta.target, current?.target, d.target, head);
  const cloud = choice.blueprint === 'aws-spot-ollama' || choice.blueprint === 'asg-schedule';
  const region = cloud ? (facts.region ?? current?.region ?? d.region) : undefined;
  // Terraform does not move resources between regions: with the provider pointed elsewhere it
  // loses track of the stack's resources (they keep running, and billing, outside its state)
  // and creates new ones. A move is a new stack and the old one taken down.
  if (cloud && current?.region && facts.region && facts.region !== current.region)
    return {
      kind: 'invalid',
      message: `stack ${stack ?? current.stack} runs in ${current.region}: it cannot move to ${facts.region} (Terraform would lose track of its resources there, which keep running and billing). Create a stack there (its goal with "in ${facts.region}, stack <a new name>"), then scale this one to zero or roll it back.`,
    };
  if (region)
    head.push(
      `Region ${region}${facts.region ? ' (from the goal)' : current?.region ? ' (unchanged)' : ' (default)'}.`,
    );
  const tail: string[] = [];
  const monthlyUsd = meta.budgetUsd ?? facts.budgetUsd ?? current?.budget.monthlyUsd ?? null;
  if (meta.budgetUsd !== undefined && facts.budgetUsd !== undefined && meta.budgetUsd !== facts.budgetUsd) {
    tail.push(
      `Budget $${meta.budgetUsd}/month from the request fields; the $${facts.budgetUsd} in the text was not used.`,
    );
  }
  const brakeRatio = facts.brakeRatio ?? current?.budget.brakeRatio ?? d.brakeRatio;
  const brakePercent = `${Math.round(brakeRatio * 10_000) / 100} %`;
  const brakeSaid = facts.brakeRatio !== undefined;
  tail.push(
    monthlyUsd === null
      ? `No budget given: cost is estimated but not capped${brakeSaid ? `; the brake at ${brakePercent} applies once a budget is set` : ''}.`
      : `Budget $${monthlyUsd}/month; the budget brake trips at ${brakePercent} of it${brakeSaid ? ' (from the goal)' : ''}.`,
  );
  if (meta.budgetUsd === undefined && facts.budgetRead.note) tail.push(facts.budgetRead.note);
  if (facts.schedule.nightly)
    tail.push('Schedules are weekly (one stop, one start); nightly or daily shutdowns are not supported.');
  tail.push(...facts.refusals);
  if (facts.tickets.length > 0)
    tail.push(`Ticket ${facts.tickets.join(', ')}: kept as a reference, not read as a value.`);
  const draft: Draft = {
    blueprint: choice.blueprint,
    stack: resolvedStack,
    target,
    region,
    params: built.params,
    monthlyUsd,
    brakeRatio,
    notes: [...head, ...body, ...tail],
    current,
  };
  draft.provenance = traceProvenance(draft, facts, meta);
  if (
    current &&
    isDeepStrictEqual(current.params, draft.params) &&
    current.budget.monthlyUsd === monthlyUsd &&
    current.budget.brakeRatio === brakeRatio &&
    current.target === target &&
    current.region === region
  ) {
    return {
      kind: 'blocked',
      reason: `Nothing to change: stack ${resolvedStack} already has what the goal asks for.`,
      rationale: [...body, ...facts.refusals],
      unchanged: true,
    };
  }
  return { kind: 'draft', draft };
}

/** Deterministic: goal text (or GoalStatement JSON) → PlanSpec, blocked, or invalid. */
export function parseGoal(goal: string, ctx: AtlasContext): AtlasOutcome {
  const { result } = readWithRules(goal, ctx);
  if (result.kind === 'draft') return finishSpec(result.draft, ctx, 'rules');
  if (result.kind === 'blocked') return { kind: 'blocked', reason: result.reason, rationale: result.rationale };
  return result;
}
