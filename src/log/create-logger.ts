import { pino, type Logger } from 'pino';
import { redactText } from './redact-text.js';

export type { Logger };

// Paths pino blanks wherever they appear in a log object.
export const REDACT_PATHS = [
  'token',
  '*.token',
  'password',
  '*.password',
  'secret',
  '*.secret',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'botToken',
  'appToken',
  'signingSecret',
  '*.botToken',
  '*.appToken',
  '*.signingSecret',
  'AWS_SECRET_ACCESS_KEY',
  '*.AWS_SECRET_ACCESS_KEY',
  'secretAccessKey',
  '*.secretAccessKey',
];

export interface LoggerOptions {
  level?: string;
  /** Where logs go; stderr by default so stdout stays clean for --json. */
  destination?: NodeJS.WritableStream;
  name?: string;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const dest = options.destination ?? process.stderr;
  // Masks the finished line, so secrets inside objects, arrays and errors are caught too.
  const sink = { write: (line: string) => dest.write(redactText(line)) };
  return pino(
    {
      name: options.name ?? 'crew',
      level: options.level ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      hooks: {
        // Secret-shaped values inside free text (messages, terraform output) are masked too.
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === 'string' ? redactText(a) : a)) as Parameters<typeof method>);
        },
      },
    },
    sink as pino.DestinationStream,
  );
}
