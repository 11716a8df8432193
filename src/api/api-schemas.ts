import { Type, type Static } from '@sinclair/typebox';
import { GoalStatement } from '../../contracts/index.js';

// Bodies reuse the GoalStatement contract's fields, so the API accepts exactly what the bus carries.
const goal = GoalStatement.properties;

export const IntentBody = Type.Object(
  {
    nl: goal.text,
    stack: Type.Optional(goal.stack),
    target: Type.Optional(goal.target),
    budgetUsd: Type.Optional(goal.budgetUsd),
  },
  { additionalProperties: false },
);

const Sha256 = Type.String({ pattern: '^[0-9a-f]{64}$', description: 'the plan file sha256 the caller reviewed' });
const Reason = Type.String({ minLength: 1, maxLength: 500 });

/** Approval binds to the plan file the caller reviewed: the whole sha256, as GET /plans/{id} shows it. */
export const ApproveBody = Type.Object(
  {
    planSha256: Sha256,
    reason: Type.Optional(Reason),
    confirm: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description:
          "the plan's stack name: required to approve a plan that deletes or replaces resources or costs over the monthly threshold",
      }),
    ),
  },
  { additionalProperties: false },
);

export const RejectBody = Type.Object(
  { planSha256: Type.Optional(Sha256), reason: Type.Optional(Reason) },
  { additionalProperties: false },
);

export const RollbackBody = Type.Object({ reason: Type.Optional(Reason) }, { additionalProperties: false });

export const PlanParams = Type.Object({ id: Type.String({ maxLength: 64 }) }, { additionalProperties: false });

export const DecisionParams = Type.Object(
  { id: Type.String({ maxLength: 64 }), decisionId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) },
  { additionalProperties: false },
);

export const PlansQuery = Type.Object(
  { limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })) },
  { additionalProperties: false },
);

/** A signed plan-page link's query (see src/plan-page/sign-plan-link.ts); absent with a bearer token. */
export const PlanPageQuery = Type.Object(
  {
    expires: Type.Optional(
      Type.String({ pattern: '^[0-9]{1,12}$', description: 'unix seconds when the link stops working' }),
    ),
    sig: Type.Optional(Type.String({ maxLength: 64, description: 'HMAC-SHA256 of the plan id and expiry, base64url' })),
  },
  { additionalProperties: false },
);

export type IntentBody = Static<typeof IntentBody>;
export type ApproveBody = Static<typeof ApproveBody>;
export type RejectBody = Static<typeof RejectBody>;
export type RollbackBody = Static<typeof RollbackBody>;
export type PlanParams = Static<typeof PlanParams>;
export type DecisionParams = Static<typeof DecisionParams>;
export type PlansQuery = Static<typeof PlansQuery>;
export type PlanPageQuery = Static<typeof PlanPageQuery>;
