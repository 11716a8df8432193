import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { FIXTURE_BIN as FIXTURE_BIN_DIR } from './paths.js';

// Shared setup of the forge integration tests: the real terraform binary, temp stacks.

export const FIXTURE_BIN = `${FIXTURE_BIN_DIR}/`;

/** The real binary is required: a missing one fails the suite instead of skipping it. */
export function requireTerraform(): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'terraform');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this PATH entry
    }
  }
  throw new Error('terraform not found on PATH: install Terraform >= 1.4');
}

export interface TempStack {
  dir: string;
  /** Env for the runner: an empty CLI config so a stray ~/.terraformrc cannot interfere. */
  env: Record<string, string>;
  write(files: Record<string, string>): void;
  cleanup(): void;
}

export function createTempStack(prefix = 'forge-'): TempStack {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const rc = join(dir, '.terraformrc');
  writeFileSync(rc, '');
  return {
    dir,
    env: { TF_CLI_CONFIG_FILE: rc },
    write(files) {
      for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A process counts as gone once it no longer exists or is a zombie waiting to be reaped. */
export function isRunning(pid: number): boolean {
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return false;
  try {
    const state = readFileSync(stat, 'utf8').split(') ')[1]?.[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}
