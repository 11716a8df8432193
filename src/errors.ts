// Every operational error infracrew raises carries one of these codes. Refusals shown to a
// user (policy denial, lock held, not an approver) are typed results, not errors.
export const ErrorCodes = {
  CREW_ERR_CONFIG: 'invalid configuration',
  CREW_ERR_BAD_ARTIFACT: 'artifact failed schema validation',
  CREW_ERR_BAD_INPUT: 'bad input',
  CREW_ERR_REFUSED: 'refused for this person',
  CREW_ERR_REDIS: 'redis unavailable',
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
