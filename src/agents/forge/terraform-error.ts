import { CrewError } from '../../errors.js';

export interface TerraformErrorDetails {
  command: string;
  exitCode?: number;
  signal?: string;
  timedOut?: boolean;
  cancelled?: boolean;
  stale?: boolean;
  /** Another Terraform held the state lock for longer than -lock-timeout. */
  locked?: boolean;
  /** Already redacted. */
  stderr: string;
  cause?: unknown;
}

/** A failed terraform command; `stale` marks a saved plan the state has moved past, `locked` a state another Terraform holds. */
export class TerraformError extends CrewError {
  readonly command: string;
  readonly exitCode?: number;
  readonly signal?: string;
  readonly timedOut: boolean;
  readonly cancelled: boolean;
  readonly stale: boolean;
  readonly locked: boolean;
  readonly stderr: string;

  constructor(message: string, details: TerraformErrorDetails) {
    super(details.timedOut ? 'CREW_ERR_TIMEOUT' : 'CREW_ERR_TERRAFORM', message, { cause: details.cause });
    this.name = 'TerraformError';
    this.command = details.command;
    this.exitCode = details.exitCode;
    this.signal = details.signal;
    this.timedOut = details.timedOut ?? false;
    this.cancelled = details.cancelled ?? false;
    this.stale = details.stale ?? false;
    this.locked = details.locked ?? false;
    this.stderr = details.stderr;
  }
}

export function isStalePlanMessage(stderr: string): boolean {
  return /Saved plan is stale/i.test(stderr);
}

export function isStateLockMessage(stderr: string): boolean {
  return /Error acquiring the state lock/i.test(stderr);
}
