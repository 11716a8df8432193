import type { Severity } from '../../../../contracts/index.js';
import type { ApprovalQuorum, AutoApproveRule } from '../../../access/approval-rules.js';

// The organisation policy file, as other components read it (Atlas checks regions and
// instance types up front; Sentinel enforces all of it).

export interface Waiver {
  ruleId: string;
  /** Glob over resource addresses: `*` any characters, `?` one. */
  address: string;
  reason: string;
  /** Last day (UTC, inclusive) the waiver applies: YYYY-MM-DD. */
  expires: string;
}

export const ATTRIBUTE_OPERATORS = [
  'equals',
  'not_equals',
  'exists',
  'not_exists',
  'contains',
  'not_contains',
  'in',
  'not_in',
  'gte',
  'gt',
  'lte',
  'lt',
  'matches',
] as const;
export type AttributeOperator = (typeof ATTRIBUTE_OPERATORS)[number];

/** A declarative attribute check in the spirit of checkov's YAML policies: it states what compliant looks like. */
export interface AttributeRule {
  id: string;
  resourceTypes: string[];
  attribute: string;
  operator: AttributeOperator;
  value?: unknown;
  severity: Severity;
  message: string;
}

export interface OrgPolicy {
  version?: number;
  allowedRegions?: string[];
  /** Exact types or globs such as `g4dn.*`. */
  allowedInstanceTypes?: string[];
  maxMonthlyUsdPerStack?: number;
  /** Ingress ports that may be opened at all (protocol -1 is never allowed when this is set). */
  allowedPorts?: number[];
  waivers?: Waiver[];
  rules?: AttributeRule[];
  /** How many distinct people approve, by risk (the Conductor's quorum). */
  approvals?: ApprovalQuorum;
  /** Low-risk classes applied without a person, recorded as `policy:<id>`. */
  autoApprove?: AutoApproveRule[];
}
