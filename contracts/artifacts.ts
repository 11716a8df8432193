import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { AsgScheduleParams, AwsSpotOllamaParams, DnsRecordParams, ProxmoxK3sParams, StackName } from './blueprints.js';
import { Sha256, Str } from './primitives.js';
import { ValidationResult } from './validation-result.js';

export * from './validation-result.js';

// Artifact payload schemas (contracts v0.1). The JSON files in contracts/json/ are generated
// from these; a test keeps them fresh.

const FileRef = Type.Object({ path: Str(1024), sha256: Sha256 }, { additionalProperties: false });
const Target = Type.Union([Type.Literal('aws'), Type.Literal('proxmox'), Type.Literal('dns'), Type.Literal('sandbox')]);
const Usd = Type.Number({ minimum: 0, maximum: 1e9 });

/** A value observed on drifted infrastructure that Adopt writes into a spec param (a size, a type, a list of types; up to the largest param, memoryMb). */
const ObservedValue = Type.Union([
  Type.Integer({ minimum: 0, maximum: 1_048_576 }),
  Type.String({ maxLength: 200 }),
  Type.Array(Type.String({ maxLength: 200 }), { maxItems: 20 }),
]);

/**
 * Drift triage (Revert, Adopt): the goal starts from the stack's applied spec at `version`,
 * not from words; Adopt replaces the params in `set` with the values observed on the
 * infrastructure. Atlas reads no text for it; the plan then goes through review like any other.
 */
export const DriftTriage = Type.Object(
  {
    action: Type.Union([Type.Literal('revert'), Type.Literal('adopt')]),
    version: Type.Integer({ minimum: 1 }),
    set: Type.Optional(
      Type.Record(Type.String({ pattern: '^[a-zA-Z]{1,40}$' }), ObservedValue, {
        maxProperties: 20,
        additionalProperties: false,
      }),
    ),
  },
  { additionalProperties: false },
);

export const GoalStatement = Type.Object(
  {
    text: Type.String({ minLength: 1, maxLength: 4000 }),
    requestedBy: Type.String({ minLength: 1, maxLength: 128 }),
    channel: Type.Optional(Str(128)),
    target: Type.Optional(Target),
    budgetUsd: Type.Optional(Usd),
    stack: Type.Optional(StackName),
    drift: Type.Optional(DriftTriage),
  },
  { additionalProperties: false },
);

/**
 * Where one PlanSpec value came from: the person's `words` (with the span of the goal they
 * are in, when the value is written there as such), a `default`, the `org-policy`, the
 * stack's `current-spec` (a change request), the `llm`, or `observed` on the running
 * infrastructure (a drift adopted into the spec).
 */
export const ValueSource = Type.Object(
  {
    source: Type.Union([
      Type.Literal('words'),
      Type.Literal('default'),
      Type.Literal('org-policy'),
      Type.Literal('current-spec'),
      Type.Literal('llm'),
      Type.Literal('observed'),
    ]),
    span: Type.Optional(
      Type.Object(
        { start: Type.Integer({ minimum: 0 }), end: Type.Integer({ minimum: 0 }), text: Str(300) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

const specCommon = {
  stack: StackName,
  target: Target,
  region: Type.Optional(Type.String({ pattern: '^[a-z]{2}(?:-[a-z]+)+-\\d$' })),
  budget: Type.Object(
    {
      monthlyUsd: Type.Union([Usd, Type.Null()]),
      brakeRatio: Type.Number({ exclusiveMinimum: 0, maximum: 1, default: 0.8 }),
    },
    { additionalProperties: false },
  ),
  risk: Type.Object(
    {
      destructive: Type.Boolean(),
      level: Type.Union([Type.Literal('low'), Type.Literal('medium'), Type.Literal('high')]),
    },
    { additionalProperties: false },
  ),
  rationale: Type.Array(Str(1000), { maxItems: 100 }),
  diagram: Str(20000),
  parsedBy: Type.Union([Type.Literal('llm'), Type.Literal('rules')]),
  /** The stack's version Atlas drafted against (0: none stood); absent when it did not read the stack. */
  baseVersion: Type.Optional(
    Type.Integer({
      minimum: 0,
      description:
        "the stack's version Atlas drafted against (0: none stood); a plan admitted after the stack moved is drafted again",
    }),
  ),
  /** Keyed by field path ("params.instanceTypes", "region", "budget.monthlyUsd"). */
  provenance: Type.Optional(Type.Record(Type.String({ maxLength: 100 }), ValueSource, { maxProperties: 40 })),
  tokens: Type.Optional(
    Type.Object(
      { prompt: Type.Integer({ minimum: 0 }), completion: Type.Integer({ minimum: 0 }) },
      { additionalProperties: false },
    ),
  ),
};

const variant = <B extends string, P extends TSchema>(blueprint: B, params: P) =>
  Type.Object({ blueprint: Type.Literal(blueprint), params, ...specCommon }, { additionalProperties: false });

export const AwsSpotOllamaSpec = variant('aws-spot-ollama', AwsSpotOllamaParams);
export const AsgScheduleSpec = variant('asg-schedule', AsgScheduleParams);
export const ProxmoxK3sSpec = variant('proxmox-k3s', ProxmoxK3sParams);
export const DnsRecordSpec = variant('dns-record', DnsRecordParams);
export const PlanSpec = Type.Union([AwsSpotOllamaSpec, AsgScheduleSpec, ProxmoxK3sSpec, DnsRecordSpec]);

export const DesignBlocked = Type.Object(
  { reason: Str(2000), rationale: Type.Array(Str(1000), { maxItems: 100 }), attempts: Type.Integer({ minimum: 1 }) },
  { additionalProperties: false },
);

export const BuildStatus = Type.Object(
  {
    phase: Type.Union(['ack', 'init', 'plan', 'apply', 'rollback'].map((p) => Type.Literal(p))),
    ok: Type.Boolean(),
    detail: Str(8000),
    durationMs: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);

export const ChangeSummary = Type.Object(
  {
    create: Type.Integer({ minimum: 0 }),
    update: Type.Integer({ minimum: 0 }),
    replace: Type.Integer({ minimum: 0 }),
    delete: Type.Integer({ minimum: 0 }),
    noop: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);

/** The sha256 of the root config Forge rendered for a plan, kept in the artifact store beside the plan file. */
const RootConfigSha256 = Type.Optional(
  Type.String({
    pattern: Sha256.pattern,
    description:
      'sha256 of the rendered Terraform root config the plan file was made from, in the artifact store; a Forge on any host writes its workspace from these bytes before applying. Absent for changes without one (DNS, ASG schedules) and from older crews.',
  }),
);

export const ValidateRequest = Type.Object(
  {
    stack: StackName,
    planFile: FileRef,
    planJson: FileRef,
    summary: ChangeSummary,
    rootConfigSha256: RootConfigSha256,
  },
  { additionalProperties: false },
);

export const ApprovalDecision = Type.Object(
  {
    decision: Type.Union([Type.Literal('approve'), Type.Literal('reject')]),
    by: Type.String({ minLength: 1, maxLength: 128 }),
    planSha256: Sha256,
    reason: Type.Optional(Str(1000)),
  },
  { additionalProperties: false },
);

export const ApplyRequest = Type.Object(
  {
    stack: StackName,
    planSha256: Sha256,
    planFile: FileRef,
    approvedBy: Type.String({ minLength: 1, maxLength: 128 }),
    rootConfigSha256: RootConfigSha256,
  },
  { additionalProperties: false },
);

export const ApplyResult = Type.Object(
  {
    result: Type.Union(
      [
        Type.Literal('APPLY_DONE'),
        Type.Literal('APPLY_FAILED'),
        Type.Literal('APPLY_STALE'),
        Type.Literal('APPLY_REFUSED'),
        Type.Literal('APPLY_IN_DOUBT'),
      ],
      {
        description:
          'APPLY_FAILED: the apply ran and failed (roll back); APPLY_STALE: the state moved (re-plan); APPLY_REFUSED: nothing was applied (e.g. the plan file is not the approved one); APPLY_IN_DOUBT: an earlier apply may still be in flight (a human must check, never roll back)',
      },
    ),
    planSha256: Sha256,
    outputs: Type.Record(Type.String(), Type.Unknown()),
    detail: Type.Optional(Str(8000)),
  },
  { additionalProperties: false },
);

export const RollbackRequest = Type.Object(
  {
    stack: StackName,
    toVersion: Type.Integer({ minimum: 0, description: '0 means destroy: the plan was a first-time create' }),
    by: Type.String({ minLength: 1, maxLength: 128 }),
    reason: Type.Optional(Str(1000)),
  },
  { additionalProperties: false },
);

export const RollbackResult = Type.Object(
  {
    result: Type.Union([Type.Literal('ROLLED_BACK'), Type.Literal('ROLLBACK_FAILED')]),
    startedAt: Type.String({ format: 'date-time' }),
    finishedAt: Type.String({ format: 'date-time' }),
    detail: Type.Optional(Str(8000)),
  },
  { additionalProperties: false },
);

export const OpsEvent = Type.Object(
  {
    kind: Type.Union(
      [
        'heartbeat',
        'drift',
        'brake',
        'sla_breach',
        'schedule',
        'dead_letter',
        'escalation',
        'stuck',
        'lock',
        'transition',
        'refusal',
        'rollout',
      ].map((k) => Type.Literal(k)),
    ),
    detail: Str(4000),
    stack: Type.Optional(StackName),
    agent: Type.Optional(Str(128)),
    /** For `transition`: the plan's state before and after, and who moved it. */
    from: Type.Optional(Str(32)),
    to: Type.Optional(Str(32)),
    by: Type.Optional(Str(128)),
  },
  { additionalProperties: false },
);

export const CostDigest = Type.Object(
  {
    period: Type.Object(
      { from: Type.String({ format: 'date-time' }), to: Type.String({ format: 'date-time' }) },
      { additionalProperties: false },
    ),
    stacks: Type.Array(
      Type.Object(
        {
          stack: StackName,
          monthlyUsd: Type.Number(),
          spotSavingsUsd: Type.Number(),
          offHoursSavingsUsd: Type.Number(),
          /** The stack's own budget (its spec's, set by a goal), which brakes that stack's plans; absent when it has none. */
          budget: Type.Optional(
            Type.Object(
              { monthlyUsd: Type.Number({ minimum: 0 }), brakeRatio: Type.Number({ minimum: 0, maximum: 1 }) },
              { additionalProperties: false },
            ),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    spend: Type.Number(),
    forecast: Type.Number(),
    budget: Type.Union([Type.Number(), Type.Null()]),
    savings: Type.Number(),
  },
  { additionalProperties: false },
);

export const PAYLOADS = {
  GoalStatement,
  PlanSpec,
  DesignBlocked,
  BuildStatus,
  ValidateRequest,
  ValidationResult,
  ApprovalDecision,
  ApplyRequest,
  ApplyResult,
  RollbackRequest,
  RollbackResult,
  OpsEvent,
  CostDigest,
} as const;

export type ArtifactType = keyof typeof PAYLOADS;
export const ARTIFACT_TYPES = Object.keys(PAYLOADS) as ArtifactType[];

export type GoalStatement = Static<typeof GoalStatement>;
export type DriftTriage = Static<typeof DriftTriage>;
export type PlanSpec = Static<typeof PlanSpec>;
export type ValueSource = Static<typeof ValueSource>;
export type AwsSpotOllamaSpec = Static<typeof AwsSpotOllamaSpec>;
export type AsgScheduleSpec = Static<typeof AsgScheduleSpec>;
export type ProxmoxK3sSpec = Static<typeof ProxmoxK3sSpec>;
export type DnsRecordSpec = Static<typeof DnsRecordSpec>;
export type DesignBlocked = Static<typeof DesignBlocked>;
export type BuildStatus = Static<typeof BuildStatus>;
export type ChangeSummary = Static<typeof ChangeSummary>;
export type ValidateRequest = Static<typeof ValidateRequest>;
export type ApprovalDecision = Static<typeof ApprovalDecision>;
export type ApplyRequest = Static<typeof ApplyRequest>;
export type ApplyResult = Static<typeof ApplyResult>;
export type RollbackRequest = Static<typeof RollbackRequest>;
export type RollbackResult = Static<typeof RollbackResult>;
export type OpsEvent = Static<typeof OpsEvent>;
export type CostDigest = Static<typeof CostDigest>;

export type PayloadOf<T extends ArtifactType> = Static<(typeof PAYLOADS)[T]>;
