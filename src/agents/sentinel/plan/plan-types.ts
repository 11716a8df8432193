// The parts of `terraform show -json` (format 1.x) that Sentinel reads, normalised once.

export type ActionKind = 'create' | 'update' | 'replace' | 'delete' | 'no-op' | 'read' | 'forget';

export interface PlanResource {
  address: string;
  /** Address with instance keys removed, e.g. `module.vpc.aws_vpc.this`: the configuration key. */
  configKey: string;
  previousAddress?: string;
  moduleAddress?: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  index?: string | number;
  providerName: string;
  actions: string[];
  kind: ActionKind;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  /** Same shape as `after`, `true` at unknown leaves (or `true` for the whole object). */
  afterUnknown: unknown;
  beforeSensitive: unknown;
  afterSensitive: unknown;
  replacePaths?: unknown[];
  actionReason?: string;
}

export interface StateResource {
  address: string;
  configKey: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  values: Record<string, unknown>;
}

/** A configuration expression: a literal known at plan time, or references to other objects. */
export interface ConfigExpression {
  constantValue?: unknown;
  hasConstant: boolean;
  references: string[];
}

export interface ConfigResource {
  /** Full configuration address including the module path, e.g. `module.net.aws_vpc.this`. */
  key: string;
  /** `module.net` or '' for the root module; references inside resolve relative to it. */
  modulePath: string;
  type: string;
  /** Raw `expressions` object: attribute → expression, nested blocks → arrays of objects. */
  expressions: Record<string, unknown>;
}

export interface ModuleOutput {
  expression: ConfigExpression;
}

export interface ProviderConfig {
  /** Key in `provider_config`, e.g. `aws` or `aws.west` or `module.x:aws`. */
  key: string;
  name: string;
  alias?: string;
  modulePath: string;
  expressions: Record<string, unknown>;
}

export interface ParsedPlan {
  formatVersion: string;
  terraformVersion?: string;
  changes: PlanResource[];
  drift: PlanResource[];
  priorResources: StateResource[];
  plannedResources: StateResource[];
  variables: Record<string, unknown>;
  providers: ProviderConfig[];
  configResources: Map<string, ConfigResource>;
  /** `module.vpc` → output name → expression, for references like `module.vpc.vpc_cidr_block`. */
  moduleOutputs: Map<string, Map<string, ModuleOutput>>;
  /** AWS region of the default `aws` provider when the plan says it; else undefined. */
  region?: string;
}
