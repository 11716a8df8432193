import type { PlanRecord } from '../../plan/plan-record.js';

export type { AuthzSettings } from '../../config/read-authz-settings.js';

/** What a person asks to do; the same names in Cedar (`Action::"approve"`) and in OPA's input. */
export const AUTHZ_ACTIONS = ['plan', 'approve', 'reject', 'rollback', 'unlock', 'schedule', 'check'] as const;
export type AuthzAction = (typeof AUTHZ_ACTIONS)[number];

/** One question to the policy engine. */
export interface AuthzRequest {
  by: string;
  action: AuthzAction;
  /** The plan acted on (its stack is the resource); absent: a stack without a plan. */
  plan?: PlanRecord;
  /** The stack, when there is no plan (unlock of a free stack) or the plan has none yet. */
  stack?: string;
  /** The target asked for, when there is no plan yet (a goal being submitted). */
  target?: string;
}

/** The engine's answer, with the policies that decided it. */
export interface AuthzVerdict {
  allowed: boolean;
  engine: 'cedar' | 'opa';
  /** `built-in`, the policy file, or the OPA URL. */
  source: string;
  /** Ids of the policies that decided (Cedar's diagnostics reasons; OPA's `reasons`, else the path). */
  policies: string[];
  /** Why not, in words for the person (only when denied). */
  refusal?: string;
  /** Evaluation errors (a policy that errored is skipped by Cedar; OPA unreachable). */
  errors: string[];
}
