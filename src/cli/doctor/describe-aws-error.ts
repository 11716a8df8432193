import { errorMessage } from '../../errors.js';

/** One line for an AWS SDK failure: the service's error code first, never a stack trace. */
export function describeAwsError(err: unknown): string {
  const e = err as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
  // A bodiless answer (any HEAD error) leaves the SDK only the status: it names it Unknown.
  const named = e.Code ?? e.name;
  const code = named === 'Unknown' || named === 'UnknownError' ? undefined : named;
  const message = errorMessage(err).split('\n')[0] ?? '';
  if (code === 'CredentialsProviderError' || /Could not load credentials/i.test(message))
    return 'no AWS credentials found (environment, shared profile, web identity or instance role)';
  if (code === 'NotFound' || e.$metadata?.httpStatusCode === 404) return 'NotFound: no such bucket';
  if (code === 'Forbidden' || e.$metadata?.httpStatusCode === 403)
    return code && code !== 'Forbidden' ? `${code}: ${message}` : 'Forbidden: access denied';
  return code && !message.startsWith(code) ? `${code}: ${message}` : message;
}
