import type { ChangeSummary, PlanSpec } from '../../../contracts/index.js';
import { CrewError } from '../../errors.js';
import type { RootConfig } from './root-config-artifact.js';
import type { StackWorkspace } from './stack-workspace.js';

export interface BuiltPlan {
  /** False when reality already matches the spec. */
  changes: boolean;
  /** The saved plan: exactly what an approval covers and what apply executes. */
  planFile: { path: string; sha256: string };
  /** Cloud-shaped plan JSON (Terraform plan JSON format 1.x) for Sentinel. */
  planJson: { path: string; sha256: string };
  summary: ChangeSummary;
  /** A few lines more for the reviewer (e.g. what playbooks/k3s --check would change); Forge adds them to the plan's BuildStatus. */
  review?: string;
  /** The root config the plan file was made from (Terraform runners): stored for the Forge that applies it. */
  rootConfig?: RootConfig;
  /** The two files' bytes as the runner read or wrote them, so Forge stores them without reading them again. */
  bytes?: { planFile: Buffer; planJson: Buffer };
}

export interface ApplyOptions {
  /**
   * The root config the plan file was made from, as stored at plan time: written into the
   * workspace (and initialised) before the apply, instead of a config rendered again here.
   */
  rootConfig?: RootConfig;
}

/** What an apply learned on the way (Terraform's apply ends with the stack's outputs). */
export interface Applied {
  /** The stack's outputs, secrets withheld, when the apply printed them: no `outputs()` call needed then. */
  outputs?: Record<string, unknown>;
}

export interface PlanRequest {
  /** Base name for the saved files in the workspace (usually the plan id). */
  name: string;
  /** The plan this is built for: tags the resources of targets that support tags (aws). */
  planId?: string;
  /** Plan the removal of everything the spec describes (rollback of a first-time create). */
  destroy?: boolean;
  /** Aborts the planning (its subprocesses are killed) when the plan is cancelled. */
  signal?: AbortSignal;
}

/**
 * One way of changing real infrastructure (Terraform, Ansible, AWS SDK calls). Forge picks
 * one per blueprint; all of them plan to a saved file first and apply exactly that file.
 */
export interface ChangeRunner {
  plan(spec: PlanSpec, ws: StackWorkspace, request: PlanRequest): Promise<BuiltPlan>;
  /**
   * Applies the saved plan file; throws StalePlanError when reality moved since the plan, and
   * ApplyInDoubtError when an earlier apply may still be running after the wait. Forge calls
   * it through applySavedPlan, which turns those two into outcomes.
   */
  apply(spec: PlanSpec, ws: StackWorkspace, planFile: string, options?: ApplyOptions): Promise<Applied | void>;
  /**
   * The rest of an approved change once its plan file is applied (proxmox: playbooks/k3s on the
   * new VMs), given the stack's outputs. Throws when it fails: the apply then counts as failed.
   */
  afterApply?(spec: PlanSpec, ws: StackWorkspace, outputs: Record<string, unknown>): Promise<void>;
  /** What the applied stack exposes (ids, names, addresses); secrets withheld. */
  outputs(spec: PlanSpec, ws: StackWorkspace): Promise<Record<string, unknown>>;
}

/** Reality moved since the plan was made: re-plan and ask for a fresh approval. */
export class StalePlanError extends CrewError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CREW_ERR_TERRAFORM', message, options);
    this.name = 'StalePlanError';
  }
}

/**
 * An earlier apply of this stack may still be running (its Terraform outlived a killed
 * Forge, or another host's holds the state lock) and did not end within the wait: whether
 * it succeeds is unknown, so nothing may be rolled back. A person has to look.
 */
export class ApplyInDoubtError extends CrewError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CREW_ERR_TERRAFORM', message, options);
    this.name = 'ApplyInDoubtError';
  }
}

export type ChangeRunners = Partial<Record<PlanSpec['blueprint'], ChangeRunner>>;
