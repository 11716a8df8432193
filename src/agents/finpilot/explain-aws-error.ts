import { CrewError } from '../../errors.js';

const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'RequestThrottled',
]);

/** An AWS call that failed, with the service's own code and request id kept for support. */
export class AwsCallError extends CrewError {
  readonly awsCode: string;
  readonly requestId: string | undefined;
  readonly throttled: boolean;
  readonly attempts: number | undefined;

  constructor(
    message: string,
    o: { awsCode: string; requestId?: string; throttled: boolean; attempts?: number; cause: unknown },
  ) {
    super('CREW_ERR_INTERNAL', message, { cause: o.cause });
    this.name = 'AwsCallError';
    this.awsCode = o.awsCode;
    this.requestId = o.requestId;
    this.throttled = o.throttled;
    this.attempts = o.attempts;
  }
}

interface SdkErrorShape {
  name?: string;
  message?: string;
  Code?: string;
  $metadata?: { requestId?: string; attempts?: number; httpStatusCode?: number };
}

/** Turns an SDK error into one sentence a person can act on; never includes credentials. */
export function explainAwsError(err: unknown, service: string, operation: string): Error {
  if (err instanceof CrewError) return err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as SdkErrorShape;
  const code = e.Code ?? e.name ?? 'Error';
  const requestId = e.$metadata?.requestId;
  const attempts = e.$metadata?.attempts;
  const throttled = THROTTLING.has(code);
  const ref = requestId ? ` (request id ${requestId})` : '';
  const detail = `${code}: ${e.message ?? String(err)}`;
  let message: string;
  if (throttled) {
    message = `AWS ${service} throttled ${operation} after ${attempts ?? 1} attempt(s)${ref}: ${detail}; nothing more was sent. Retry in a minute, or raise CREW_AWS_MAX_ATTEMPTS so the SDK backs off and retries`;
  } else if (code === 'CredentialsProviderError' || /credential/i.test(code)) {
    message = `AWS ${service} ${operation}: no usable credentials (${e.message ?? code}); configure the default credential chain or CREW_AWS_ACCESS_KEY_ID/CREW_AWS_SECRET_ACCESS_KEY`;
  } else {
    message = `AWS ${service} ${operation} failed${ref}: ${detail}`;
  }
  return new AwsCallError(message, {
    awsCode: code,
    ...(requestId ? { requestId } : {}),
    throttled,
    ...(attempts ? { attempts } : {}),
    cause: err,
  });
}

/** Runs one SDK call and rewrites its failure with `explainAwsError`. */
export async function callAws<T>(service: string, operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw explainAwsError(err, service, operation);
  }
}
