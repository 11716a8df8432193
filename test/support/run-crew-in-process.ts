import { Command } from 'commander';
import { vi } from 'vitest';

/**
 * Runs one `crew` command in this process with the given command groups registered: what it
 * printed on stdout and its exit code (stderr is swallowed; process.exitCode is put back).
 */
export async function runCrewInProcess(
  register: ReadonlyArray<(program: Command) => void>,
  args: readonly string[],
): Promise<{ out: string; code: number | undefined }> {
  const program = new Command().exitOverride();
  for (const r of register) r(program);
  const out: string[] = [];
  const spy = vi
    .spyOn(process.stdout, 'write')
    .mockImplementation((s: string | Uint8Array) => (out.push(String(s)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    await program.parseAsync(['node', 'crew', ...args]);
    return { out: out.join(''), code: typeof process.exitCode === 'number' ? process.exitCode : undefined };
  } finally {
    spy.mockRestore();
    err.mockRestore();
    process.exitCode = undefined;
  }
}
