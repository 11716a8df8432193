import { CrewError, errorMessage } from '../errors.js';
import { EXIT, processIo, type CliIo } from './cli-io.js';

/** Runs a command body and turns its result or failure into an exit code. */
export async function runAction(body: (io: CliIo) => Promise<number>, io: CliIo = processIo): Promise<void> {
  let code: number;
  try {
    code = await body(io);
  } catch (err) {
    if (err instanceof CrewError && err.code === 'CREW_ERR_REFUSED') {
      io.err(`refused: ${err.message}`);
      code = EXIT.REFUSED;
    } else {
      const message = errorMessage(err);
      io.err(`error: ${message}`);
      code = EXIT.ERROR;
    }
  }
  process.exitCode = code;
}

export function parseSeconds(raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback * 1000;
  const n = /^\d+(?:\.\d+)?$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isFinite(n) || n <= 0)
    throw new CrewError('CREW_ERR_BAD_INPUT', `--timeout ${raw} is not a positive number of seconds`);
  return n * 1000;
}
