import type { Message } from 'ollama';
import type { AtlasContext, AtlasOutcome, Draft } from './atlas-types.js';
import { askOllama, DEFAULT_LLM_TIMEOUT_MS, type OllamaCall } from './ask-ollama.js';
import { buildFillPrompt, buildPickPrompt, correctionMessage } from './build-llm-prompt.js';
import { forceBlueprint } from './choose-blueprint.js';
import { finishSpec } from './finish-spec.js';
import { checkParamsReply, checkPickReply, PARAMS_SCHEMAS, PICK_SCHEMA } from './llm-schemas.js';
import { mergeLlmParams } from './merge-llm-params.js';
import { markModelValues } from './trace-provenance.js';
import { buildDraft, parseGoal, readWithRules, type RulesRead } from './parse-goal.js';
import type { Checked } from '../../../contracts/index.js';
import { BLUEPRINTS } from '../../../contracts/names.js';
import { errorMessage } from '../../errors.js';

export type { AtlasContext, AtlasDefaults, AtlasOutcome, OrgConstraints } from './atlas-types.js';
export { DEFAULT_ATLAS_DEFAULTS } from './default-atlas-defaults.js';
export { parseGoal };

interface Tokens {
  prompt: number;
  completion: number;
}

/** One call, and one corrective retry that tells the model what was wrong. */
async function askValid<T>(
  call: OllamaCall,
  messages: Message[],
  format: Record<string, unknown>,
  check: (c: string) => Checked<T>,
  tokens: Tokens,
): Promise<Checked<T>> {
  const first = await askOllama(call, messages, format);
  tokens.prompt += first.promptTokens;
  tokens.completion += first.completionTokens;
  const one = check(first.content);
  if (one.ok) return one;
  const again = [...messages, { role: 'assistant', content: first.content }, correctionMessage(one.reason)];
  const second = await askOllama(call, again, format);
  tokens.prompt += second.promptTokens;
  tokens.completion += second.completionTokens;
  const two = check(second.content);
  return two.ok ? two : { ok: false, reason: `the model's reply failed the schema twice (${two.reason})` };
}

/** The rules outcome, saying why the model's plan was not used and what the attempt cost. */
function fromRules(rr: RulesRead, ctx: AtlasContext, why: string | undefined, tokens: Tokens): AtlasOutcome {
  const r = rr.result;
  if (r.kind === 'invalid') return r;
  if (r.kind === 'blocked')
    return {
      kind: 'blocked',
      reason: r.reason,
      rationale: why ? [...r.rationale, `Language model: ${why}.`] : r.rationale,
    };
  const notes = why ? [...r.draft.notes, `Drafted by the deterministic parser: ${why}.`] : r.draft.notes;
  const spent = tokens.prompt + tokens.completion > 0 ? tokens : undefined;
  return finishSpec({ ...r.draft, notes }, ctx, 'rules', spent);
}

function withModel(
  draft: Draft,
  llm: Record<string, unknown>,
  rr: RulesRead,
  ctx: AtlasContext,
  tokens: Tokens,
): AtlasOutcome | undefined {
  if (!rr.facts) return undefined;
  const notes: string[] = [];
  const params = mergeLlmParams(draft, llm, rr.facts, notes);
  const model = ctx.llm?.model ?? 'the model';
  const out = finishSpec(
    {
      ...draft,
      params,
      provenance: draft.provenance && markModelValues(draft.provenance, draft.params, params),
      notes: [
        ...draft.notes,
        `Parameters filled by ${model} and checked against the ${draft.blueprint} schema.`,
        ...notes,
      ],
    },
    ctx,
    'llm',
    { ...tokens },
  );
  return out.kind === 'spec' ? out : undefined;
}

/**
 * Goal → PlanSpec. With `ctx.llm` the model fills the blueprint's schema (the parser's draft,
 * the stack's current params and the catalog in its prompt); any failure, timeout or
 * unusable reply falls back to the parser. Without `ctx.llm` this is parseGoal.
 */
export async function draftPlan(goal: string, ctx: AtlasContext): Promise<AtlasOutcome> {
  if (!ctx.llm) return parseGoal(goal, ctx);
  const rr = readWithRules(goal, ctx);
  const r = rr.result;
  const tokens: Tokens = { prompt: 0, completion: 0 };
  if (r.kind === 'invalid' || (r.kind === 'blocked' && !r.unmapped) || !rr.facts || !rr.meta)
    return fromRules(rr, ctx, undefined, tokens);
  const call: OllamaCall = {
    host: ctx.llm.host,
    model: ctx.llm.model,
    timeoutMs: ctx.llm.timeoutMs ?? DEFAULT_LLM_TIMEOUT_MS,
  };
  const text = rr.meta.text;
  try {
    if (r.kind === 'draft') {
      const bp = r.draft.blueprint;
      const reply = await askValid(
        call,
        buildFillPrompt(text, r.draft, ctx.defaults),
        PARAMS_SCHEMAS[bp],
        (c) => checkParamsReply(bp, c),
        tokens,
      );
      if (!reply.ok) return fromRules(rr, ctx, reply.reason, tokens);
      return (
        withModel(r.draft, reply.value, rr, ctx, tokens) ??
        fromRules(rr, ctx, "the model's parameters did not make a valid plan", tokens)
      );
    }
    const pick = await askValid(
      call,
      buildPickPrompt(text, ctx.defaults, BLUEPRINTS),
      PICK_SCHEMA,
      checkPickReply,
      tokens,
    );
    if (!pick.ok) return fromRules(rr, ctx, pick.reason, tokens);
    if (pick.value.blueprint === 'none')
      return fromRules(rr, ctx, `no blueprint fits${pick.value.reason ? ` (${pick.value.reason})` : ''}`, tokens);
    const choice = forceBlueprint(pick.value.blueprint, rr.facts, rr.meta.stack ?? rr.facts.names.stack, (s) =>
      ctx.currentSpec?.(s),
    );
    const built = choice ? buildDraft(rr.facts, rr.meta, ctx, choice) : undefined;
    if (built?.kind !== 'draft')
      return fromRules(
        rr,
        ctx,
        `it picked ${pick.value.blueprint}, but the goal lacks what that blueprint needs`,
        tokens,
      );
    return (
      withModel(built.draft, pick.value.params, rr, ctx, tokens) ??
      fromRules(rr, ctx, "the model's parameters did not make a valid plan", tokens)
    );
  } catch (err) {
    return fromRules(rr, ctx, `unavailable (${errorMessage(err)})`, tokens);
  }
}
