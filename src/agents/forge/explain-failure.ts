import { errorMessage } from '../../errors.js';
import { redactText } from '../../log/redact-text.js';
import { describeAwsCredentialFailure } from './describe-aws-credential-failure.js';
import { SubprocessError } from './subprocess-error.js';

/** The end of a text, redacted: what a BuildStatus or result detail may carry. */
export function tail(text: string, max = 1500): string {
  const t = redactText(text.trim());
  return t.length > max ? `…${t.slice(-max)}` : t;
}

/** A failure in words for a person, with the subprocess's (redacted) output when there is one. */
export function explainFailure(err: unknown): string {
  if (err instanceof SubprocessError && err.stderr) {
    // A credential problem leads, whatever else the output says: it is what the person must fix.
    const credentials = describeAwsCredentialFailure(err.stderr);
    if (credentials) return `${tail(credentials, 400)} (${err.command})`;
    return tail(`${err.message}\n${err.stderr}`);
  }
  return tail(errorMessage(err));
}
