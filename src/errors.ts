// Every operational error infracrew raises carries one of these codes. Refusals shown to a
// user (policy denial, lock held, not an approver) are typed results, not errors.
export const ErrorCodes = {
  CREW_ERR_CONFIG: 'invalid configuration',
  CREW_ERR_BAD_ARTIFACT: 'artifact failed schema validation',
  CREW_ERR_BAD_INPUT: 'bad input',
  CREW_ERR_REFUSED: 'refused for this person',
  CREW_ERR_REDIS: 'redis unavailable',
  CREW_ERR_DATABASE: 'postgresql unavailable or unusable',
  CREW_ERR_ARTIFACT: 'artifact missing, corrupt or too large',
  CREW_ERR_TERRAFORM: 'terraform failed',
  CREW_ERR_ANSIBLE: 'ansible-playbook failed',
  CREW_ERR_TIMEOUT: 'timed out',
  CREW_ERR_NOT_FOUND: 'not found',
  CREW_ERR_PLAN_JSON: 'not a readable terraform plan',
  CREW_ERR_POLICY: 'invalid policy file',
  CREW_ERR_LLM: 'language model failed',
  CREW_ERR_CLOSED: 'already closed',
  CREW_ERR_INTERNAL: 'internal error',
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

export class CrewError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CrewError';
    this.code = code;
  }
}

/** The message of anything thrown: an Error's message, else the value as text. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Wraps anything thrown at a boundary into a CrewError that keeps the cause. */
export function toCrewError(err: unknown, code: ErrorCode = 'CREW_ERR_INTERNAL'): CrewError {
  if (err instanceof CrewError) return err;
  return new CrewError(code, errorMessage(err), { cause: err });
}

/**
 * Why the crew says no to a person: shown to them, never thrown. The code says what kind of
 * no it is (the CLI's exit code follows it); the words are for the person.
 */
export const RefusalCodes = {
  'bad-input': 'what was given is not usable as it is',
  'not-found': 'there is no such plan',
  refused: 'not allowed: not for this person, not in this state, or not with this plan file',
  blocked: 'the crew cannot make a plan of this goal',
} as const;

export type RefusalCode = keyof typeof RefusalCodes;

/**
 * A "no" in the person's words. Pure checks (the state table, the approval rule) return this;
 * the operation that asked them adds the code.
 */
export interface Denied {
  readonly ok: false;
  readonly refusal: string;
}

/** The one refusal every operation and surface returns. */
export interface Refusal<C extends RefusalCode = RefusalCode> extends Denied {
  readonly code: C;
}

export interface Ok<T> {
  readonly ok: true;
  readonly value: T;
}

/** What an operation that may refuse returns. */
export type Result<T, C extends RefusalCode = RefusalCode> = Ok<T> | Refusal<C>;

export function ok<T>(value: T): Ok<T> {
  return { ok: true, value };
}

export function refuse<C extends RefusalCode>(code: C, refusal: string): Refusal<C> {
  return { ok: false, code, refusal };
}
