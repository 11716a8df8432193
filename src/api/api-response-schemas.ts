import { Type } from '@sinclair/typebox';
import { PLAN_STATES } from '../plan/plan-states.js';

// What the routes answer, for the OpenAPI document (responses are not re-serialized through these:
// the plan object is `crew status --json`'s, whose fields the CLI contract fixes).

const State = Type.Union(
  PLAN_STATES.map((s) => Type.Literal(s)),
  { description: 'the plan state' },
);
const Links = Type.Record(Type.String(), Type.String(), { description: 'related resources, by relation' });

/** RFC 9457 problem details: every error the API answers. */
export const Problem = Type.Object(
  {
    type: Type.String({ description: 'always about:blank: the title is the status phrase' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String({ description: 'what was refused and why, in words' }),
    instance: Type.String({ description: 'the request path' }),
  },
  { additionalProperties: true, description: 'application/problem+json; extra members a client acts on may follow' },
);

export const IntentAccepted = Type.Object({ planId: Type.String(), state: State, links: Links });

export const DecisionAccepted = Type.Object({
  planId: Type.String(),
  decision: Type.Union([Type.Literal('approve'), Type.Literal('reject')]),
  decisionId: Type.String(),
  planSha256: Type.String(),
  state: State,
  links: Links,
});

export const PlanView = Type.Object(
  {
    id: Type.String(),
    state: State,
    stack: Type.Union([Type.String(), Type.Null()]),
    requestedBy: Type.String(),
    planSpec: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()]),
    planSha256: Type.Union([Type.String(), Type.Null()]),
    summary: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()]),
    validation: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()]),
    approvedBy: Type.Optional(Type.String()),
    expiresAt: Type.Optional(Type.String()),
  },
  { additionalProperties: true, description: 'the object `crew status --json` prints' },
);

export const Transition = Type.Object({
  from: State,
  to: State,
  event: Type.String(),
  at: Type.String(),
  by: Type.String(),
  reason: Type.String(),
  surface: Type.Optional(
    Type.String({ description: 'where the change came from: slack, cli, api, scheduler or system' }),
  ),
});

export const DecisionVerdict = Type.Union([
  Type.Object({ pending: Type.Literal(true) }),
  Type.Object(
    {
      by: Type.String(),
      decision: Type.String(),
      planSha256: Type.String(),
      accepted: Type.Boolean(),
      at: Type.String(),
    },
    { additionalProperties: true, description: 'refusal is set when accepted is false' },
  ),
]);

export const RESPONSE_SCHEMAS = {
  Problem,
  IntentAccepted,
  DecisionAccepted,
  PlanView,
  Transition,
  DecisionVerdict,
} as const;
