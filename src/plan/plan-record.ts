import type { ChangeSummary, DriftTriage, PlanSpec, ValidationResult } from '../../contracts/index.js';
import type { PlanState } from './plan-states.js';

export interface FileRef {
  path: string;
  sha256: string;
}

/** Everything the crew knows about one plan (the plan store keeps it in one Redis hash). */
export interface PlanRecord {
  id: string;
  state: PlanState;
  goal: string;
  requestedBy: string;
  createdAt: string;
  updatedAt: string;
  target?: string;
  budgetUsd?: number;
  channel?: string;
  stack?: string;
  spec?: PlanSpec;
  /** The stack version this plan started from; rollback returns to it (0 = nothing yet). */
  baseVersion?: number;
  planFile?: FileRef;
  planJson?: FileRef;
  planSha256?: string;
  /** The rendered root config the plan file was made from, in the artifact store (Terraform changes). */
  rootConfigSha256?: string;
  summary?: ChangeSummary;
  /** What Forge adds for the reviewer beyond the change counts (proxmox: what playbooks/k3s --check would change). */
  reviewNote?: string;
  validation?: ValidationResult;
  expiresAt?: string;
  approvedBy?: string;
  /** How many distinct people must approve this plan file (fixed when the review opens). */
  approvalsRequired?: number;
  rejectedBy?: string;
  outputs?: Record<string, unknown>;
  blocked?: { reason: string; rationale: string[] };
  failure?: string;
  /** The stack version this plan produced when applied. */
  version?: number;
  rollback?: {
    by: string;
    toVersion: number;
    requestedAt: string;
    reason?: string;
    /** Set once the RollbackRequest is on the bus; a crash before that is repaired by reconcile. */
    dispatched?: boolean;
    startedAt?: string;
    finishedAt?: string;
    slaBreached?: boolean;
  };
  threadTs?: string;
  /** The drift triage its goal asked for (Revert or Adopt), kept so the goal can be read again as it was sent. */
  drift?: DriftTriage;
  /** The stack version a queued plan was drafted again against, its stack having moved while it waited. */
  redraftedAt?: number;
  /** Set while the plan waits in its stack's queue: the plan that held the stack then. */
  queuedBehind?: string;
}

export interface Transition {
  from: PlanState;
  to: PlanState;
  event: string;
  at: string;
  by: string;
  reason: string;
  /** The surface that caused it (slack, cli, api, mcp, scheduler, system); absent on entries older than the field. */
  surface?: string;
}
