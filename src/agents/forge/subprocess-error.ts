import { CrewError, type ErrorCode } from '../../errors.js';

export interface SubprocessErrorDetails {
  /** What ran, as a person would name it: `terraform apply`, `ansible-playbook`. */
  command: string;
  /** Undefined when it could not start, or was killed by a signal. */
  exitCode?: number;
  signal?: string;
  timedOut?: boolean;
  /** Stopped on purpose (the plan it worked for was cancelled). */
  cancelled?: boolean;
  /** The binary does not exist. */
  missing?: boolean;
  /** It refused because what it was to change moved since the plan (Terraform: "Saved plan is stale"). */
  stale?: boolean;
  /** Another run holds the state lock (Terraform: "Error acquiring the state lock"). */
  locked?: boolean;
  /** The end of what it printed about the failure, already redacted. */
  stderr: string;
  /** The code when it ran and failed (not timed out, not missing): CREW_ERR_TERRAFORM, CREW_ERR_ANSIBLE. */
  failureCode: ErrorCode;
  cause?: unknown;
}

/**
 * A Terraform or Ansible run that failed: it could not start, timed out, was cancelled, or
 * exited with a code that is not a result. Whatever the program, the same fields say how.
 */
export class SubprocessError extends CrewError {
  readonly command: string;
  readonly exitCode?: number;
  readonly signal?: string;
  readonly timedOut: boolean;
  readonly cancelled: boolean;
  readonly missing: boolean;
  readonly stale: boolean;
  readonly locked: boolean;
  readonly stderr: string;

  constructor(message: string, d: SubprocessErrorDetails) {
    super(
      d.timedOut ? 'CREW_ERR_TIMEOUT' : d.missing ? 'CREW_ERR_NOT_FOUND' : d.failureCode,
      message,
      d.cause === undefined ? undefined : { cause: d.cause },
    );
    this.name = 'SubprocessError';
    this.command = d.command;
    if (d.exitCode !== undefined) this.exitCode = d.exitCode;
    if (d.signal !== undefined) this.signal = d.signal;
    this.timedOut = d.timedOut ?? false;
    this.cancelled = d.cancelled ?? false;
    this.missing = d.missing ?? false;
    this.stale = d.stale ?? false;
    this.locked = d.locked ?? false;
    this.stderr = d.stderr;
  }
}
