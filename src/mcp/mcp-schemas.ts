import { Type, type Static, type TSchema } from '@sinclair/typebox';
import {
  BudgetStatus,
  ChangeSummary,
  CostDigest,
  CostEstimate,
  Finding,
  GoalStatement,
  RollbackPreview as ContractRollbackPreview,
  ValidationResult,
} from '../../contracts/index.js';
import { IntentBody } from '../api/api-schemas.js';
import { PLAN_STATES } from '../plan/plan-states.js';

// The tools' inputs and outputs, in the schema language of the contracts and the HTTP API, so a
// goal is held to the same rules whichever surface it comes through.

const Nullable = <T extends TSchema>(s: T) => Type.Union([s, Type.Null()]);
const PlanId = Type.String({ minLength: 1, maxLength: 64, description: 'plan id, e.g. p-7fk2q9xa' });
const PlanState = Type.Union(PLAN_STATES.map((s) => Type.Literal(s)));
const Usd = GoalStatement.properties.budgetUsd;

/** plan_infrastructure takes exactly the body of POST /api/v1/intent. */
export const PlanInfrastructureInput = IntentBody;

export const PlanIdInput = Type.Object({ id: PlanId }, { additionalProperties: false });

export const PlanStatusInput = Type.Object(
  {
    id: Type.Optional(PlanId),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, description: 'how many recent plans, without id' })),
  },
  { additionalProperties: false },
);

export const ParseGoalInput = Type.Pick(IntentBody, ['nl', 'stack']);

/** The largest plan JSON check_plan_json takes, in characters. */
export const MAX_PLAN_JSON_CHARS = 4 * 1024 * 1024;

export const CheckPlanJsonInput = Type.Object(
  {
    plan: Type.Union(
      [Type.String({ minLength: 1, maxLength: MAX_PLAN_JSON_CHARS }), Type.Object({}, { additionalProperties: true })],
      { description: 'the output of terraform show -json <planfile>, as an object or as its JSON text' },
    ),
    budgetUsd: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1e9, description: 'monthly budget in USD' })),
    spentUsd: Type.Optional({ ...Usd, description: 'monthly spend other stacks already commit, in USD' }),
  },
  { additionalProperties: false },
);

export const EmptyInput = Type.Object({}, { additionalProperties: false });

/** One plan as `crew status --json` prints it; the fields a client acts on are typed. */
export const PlanView = Type.Object(
  {
    id: Type.String(),
    state: PlanState,
    stack: Nullable(Type.String()),
    requestedBy: Type.String(),
    planSha256: Nullable(Type.String()),
  },
  { additionalProperties: true },
);

export const PlanStatusOutput = Type.Object(
  { plan: Type.Optional(PlanView), plans: Type.Optional(Type.Array(PlanView)) },
  { additionalProperties: false },
);

export const Transition = Type.Object(
  {
    from: PlanState,
    to: PlanState,
    event: Type.String(),
    at: Type.String(),
    by: Type.String(),
    reason: Type.String(),
    surface: Type.Optional(
      Type.String({ description: 'where the change came from: slack, cli, api, scheduler or system' }),
    ),
  },
  { additionalProperties: false },
);

export const PlanHistoryOutput = Type.Object(
  { planId: Type.String(), transitions: Type.Array(Transition) },
  { additionalProperties: false },
);

export const ResourceChange = Type.Object(
  { address: Type.String(), actions: Type.Array(Type.String()) },
  { additionalProperties: false },
);

export const RollbackPreview = Type.Object(
  {
    toVersion: Type.Integer({ minimum: 0 }),
    effect: Type.String({ description: 'what `crew rollback` would do once this plan is applied' }),
    changes: Type.Optional(ContractRollbackPreview.properties.changes),
    monthlyUsd: Type.Optional(ContractRollbackPreview.properties.monthlyUsd),
    irreversible: Type.Optional(ContractRollbackPreview.properties.irreversible),
  },
  { additionalProperties: false },
);

/** What plan_infrastructure returns: the review a person approves or rejects elsewhere. */
export const PlanReview = Type.Object(
  {
    planId: Type.String(),
    state: PlanState,
    stack: Nullable(Type.String()),
    goal: Type.String(),
    requestedBy: Type.String(),
    planSha256: Nullable(Type.String()),
    expiresAt: Type.Optional(Type.String()),
    changes: Type.Object(
      { summary: Nullable(ChangeSummary), resources: Type.Array(ResourceChange) },
      { additionalProperties: false },
    ),
    verdict: Nullable(ValidationResult.properties.verdict),
    findings: Type.Array(Finding),
    cost: Nullable(CostEstimate),
    budget: Nullable(BudgetStatus),
    rollbackPreview: Type.Optional(RollbackPreview),
    reviewNote: Type.Optional(Type.String()),
    blocked: Type.Optional(
      Type.Object({ reason: Type.String(), rationale: Type.Array(Type.String()) }, { additionalProperties: false }),
    ),
    failure: Type.Optional(Type.String()),
    queuedBehind: Type.Optional(Type.String()),
    approval: Type.String(),
  },
  { additionalProperties: false },
);

export const ParseGoalOutput = Type.Object(
  {
    outcome: Type.Union([Type.Literal('spec'), Type.Literal('blocked')]),
    planSpec: Type.Optional(Type.Object({}, { additionalProperties: true })),
    reason: Type.Optional(Type.String()),
    rationale: Type.Optional(Type.Array(Type.String())),
  },
  { additionalProperties: false },
);

export const CheckPlanJsonOutput = ValidationResult;
export const CostDigestOutput = CostDigest;

export type PlanInfrastructureInput = Static<typeof PlanInfrastructureInput>;
export type PlanStatusInput = Static<typeof PlanStatusInput>;
export type PlanIdInput = Static<typeof PlanIdInput>;
export type ParseGoalInput = Static<typeof ParseGoalInput>;
export type CheckPlanJsonInput = Static<typeof CheckPlanJsonInput>;
export type PlanReview = Static<typeof PlanReview>;
