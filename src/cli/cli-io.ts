export interface CliIo {
  out: (s: string) => void;
  err: (s: string) => void;
}

export const processIo: CliIo = {
  out: (s) => process.stdout.write(s.endsWith('\n') ? s : `${s}\n`),
  err: (s) => process.stderr.write(s.endsWith('\n') ? s : `${s}\n`),
};

/** Exit codes are part of the CLI's contract. */
export const EXIT = { OK: 0, ERROR: 1, BLOCKED: 2, REFUSED: 3 } as const;
