import { join, resolve } from 'node:path';

/** The repository root, so a test finds files wherever in test/ it lives. */
export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

export function repoPath(...parts: string[]): string {
  return join(REPO_ROOT, ...parts);
}

/** test/fixtures: recorded plans, goals and the fake binaries in fixtures/bin. */
export const FIXTURES = repoPath('test', 'fixtures');
export const FIXTURE_BIN = repoPath('test', 'fixtures', 'bin');
