import type { BlueprintName, PlanSpec, TargetName, ValueSource } from '../../../contracts/index.js';

export interface AtlasDefaults {
  region: string;
  vpcCidr: string;
  instanceTypes: string[];
  timezone: string;
  target: 'sandbox' | 'aws' | 'proxmox' | 'dns';
  brakeRatio: number;
  dnsZone: string;
  proxmox: { node: string; vmTemplate: string; network: string };
}

/** Org policy applied after drafting and before Forge; a clash blocks the plan. */
export interface OrgConstraints {
  allowedRegions?: string[];
  /** Globs such as `g4dn.*`. */
  allowedInstanceTypes?: string[];
  maxMonthlyUsdPerStack?: number;
  allowedPorts?: number[];
}

export interface AtlasLlmOptions {
  host: string;
  model: string;
  /** Per call; 20 s when unset. */
  timeoutMs?: number;
}

export interface AtlasContext {
  defaults: AtlasDefaults;
  stack?: string;
  budgetUsd?: number;
  currentSpec?: (stack: string) => PlanSpec | undefined;
  constraints?: OrgConstraints;
  llm?: AtlasLlmOptions;
}

export type AtlasOutcome =
  | { kind: 'spec'; spec: PlanSpec }
  | { kind: 'blocked'; reason: string; rationale: string[] }
  | { kind: 'invalid'; message: string };

export type Params = PlanSpec['params'];

/** A plan before risk, diagram, policy and the final schema check. */
export interface Draft {
  blueprint: BlueprintName;
  stack: string;
  target: TargetName;
  region?: string;
  params: Params;
  monthlyUsd: number | null;
  brakeRatio: number;
  notes: string[];
  /** The stack's params before this change; undefined for a new stack. */
  current?: PlanSpec;
  /** Where each value came from, keyed by field path. */
  provenance?: Record<string, ValueSource>;
}

/**
 * Internal result of the rules path. `unmapped` marks a goal that matched no blueprint, the
 * only kind of refusal the language model may still try to map; `unchanged` one whose reading
 * changes nothing on its stack (so words it could not read are asked about, as on a draft).
 */
export type DraftResult =
  | { kind: 'draft'; draft: Draft }
  | { kind: 'blocked'; reason: string; rationale: string[]; unmapped?: boolean; unchanged?: boolean }
  | { kind: 'invalid'; message: string };

/** What the goal arrived with besides its text (GoalStatement fields or CLI options). */
export interface GoalMeta {
  text: string;
  budgetUsd?: number;
  target?: TargetName;
  stack?: string;
}
