import { Type, type Static } from '@sinclair/typebox';
import { Sha256, Str } from './primitives.js';

// Sentinel's verdict on a plan (contracts v0.1): findings, the cost estimate, the budget and
// what a rollback would do. Part of the artifact payloads in artifacts.ts.

export const Severity = Type.Union(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'].map((s) => Type.Literal(s)));

export const Finding = Type.Object(
  {
    ruleId: Type.String({ pattern: '^[A-Z][A-Z0-9_]*$' }),
    severity: Severity,
    address: Str(1024),
    message: Str(2000),
    refs: Type.Optional(
      Type.Object(
        { checkov: Type.Optional(Type.Array(Str(64))), trivy: Type.Optional(Type.Array(Str(64))) },
        { additionalProperties: false },
      ),
    ),
    waived: Type.Optional(Type.Object({ reason: Str(1000), expires: Str(32) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

export const CostComponent = Type.Object(
  { name: Str(200), unit: Str(32), quantity: Type.Number(), price: Type.Number(), monthly: Type.Number() },
  { additionalProperties: false },
);

export const ResourceCost = Type.Object(
  {
    address: Str(1024),
    type: Str(128),
    monthlyUsd: Type.Number(),
    previousMonthlyUsd: Type.Number(),
    components: Type.Array(CostComponent),
  },
  { additionalProperties: false },
);

export const CostEstimate = Type.Object(
  {
    monthlyUsd: Type.Number(),
    previousMonthlyUsd: Type.Number(),
    diffMonthlyUsd: Type.Number(),
    resources: Type.Array(ResourceCost),
    unpriced: Type.Array(
      Type.Object({ address: Str(1024), type: Str(128), reason: Str(500) }, { additionalProperties: false }),
    ),
    notes: Type.Optional(Type.Array(Str(500))),
  },
  { additionalProperties: false },
);

export const BudgetStatus = Type.Object(
  {
    monthlyUsd: Type.Union([Type.Number(), Type.Null()]),
    spentUsd: Type.Number(),
    forecastUsd: Type.Number(),
    ratio: Type.Union([Type.Number(), Type.Null()]),
    brakeRatio: Type.Number(),
    brake: Type.Boolean(),
  },
  { additionalProperties: false },
);

/**
 * What rolling the plan back would do, derived from the same plan JSON and cost model: the
 * reverse of each resource change, the stack's monthly cost after it, and what it cannot undo.
 */
export const RollbackPreview = Type.Object(
  {
    changes: Type.Object(
      {
        create: Type.Integer({ minimum: 0 }),
        update: Type.Integer({ minimum: 0 }),
        replace: Type.Integer({ minimum: 0 }),
        delete: Type.Integer({ minimum: 0 }),
      },
      { additionalProperties: false },
    ),
    monthlyUsd: Type.Number({ description: "the stack's monthly cost after a rollback (its cost before this plan)" }),
    irreversible: Type.Array(
      Type.Object(
        {
          address: Str(1024),
          type: Str(128),
          by: Type.Union([Type.Literal('plan'), Type.Literal('rollback')], {
            description:
              'plan: this plan destroys it and a rollback cannot bring it back; rollback: a rollback destroys it',
          }),
          label: Str(500),
        },
        { additionalProperties: false },
      ),
      { maxItems: 500 },
    ),
  },
  { additionalProperties: false },
);

export const ValidationResult = Type.Object(
  {
    verdict: Type.Union([Type.Literal('PASS'), Type.Literal('FAIL')]),
    findings: Type.Array(Finding),
    cost: CostEstimate,
    budget: BudgetStatus,
    rollbackPreview: Type.Optional(RollbackPreview),
    planSha256: Type.Optional(Sha256),
  },
  { additionalProperties: false },
);

export type Finding = Static<typeof Finding>;
export type Severity = Static<typeof Severity>;
export type CostComponent = Static<typeof CostComponent>;
export type ResourceCost = Static<typeof ResourceCost>;
export type CostEstimate = Static<typeof CostEstimate>;
export type BudgetStatus = Static<typeof BudgetStatus>;
export type ValidationResult = Static<typeof ValidationResult>;
export type RollbackPreview = Static<typeof RollbackPreview>;
