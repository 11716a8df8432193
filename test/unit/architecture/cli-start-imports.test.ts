import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoPath } from '../../support/paths.js';

// Every `crew` command starts by loading what src/cli/main.ts imports statically. The heavy
// packages (Atlas's language model, the MCP SDK, Slack, AWS, PostgreSQL, the browser, the
// PNG renderer) load on first use, so `crew status` costs little more than Node itself.
// Read from the build (what Node runs): TypeScript drops type-only imports there.

const HEAVY = [
  'compromise',
  'zod',
  '@modelcontextprotocol/sdk',
  '@slack/bolt',
  '@slack/web-api',
  '@aws-sdk',
  'pg',
  'playwright-core',
  '@resvg/resvg-js',
  'ollama',
  'node-vault',
  'fastify',
  'prom-client',
  '@cedar-policy/cedar-wasm',
];

/** The packages a module loads through static imports, each with the first file that imports it. */
function staticPackages(entry: string): Map<string, string> {
  const seen = new Set([entry]);
  const queue = [entry];
  const packages = new Map<string, string>();
  for (let file = queue.shift(); file; file = queue.shift()) {
    const text = readFileSync(file, 'utf8');
    const specs = [
      ...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"`;()]*?from\s+['"]([^'"]+)['"]/g),
      ...text.matchAll(/(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g),
    ].map((m) => m[1]!);
    for (const spec of specs) {
      if (!spec.startsWith('.')) {
        const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
        if (!packages.has(name)) packages.set(name, file.replace(`${repoPath('dist')}/`, ''));
        continue;
      }
      const next = resolve(dirname(file), spec);
      if (existsSync(next) && !seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return packages;
}

describe('what every crew command loads at start', () => {
  it('leaves the heavy packages to the commands and agents that use them', () => {
    const main = repoPath('dist', 'src', 'cli', 'main.js');
    if (!existsSync(main)) throw new Error('dist/ is missing: run `npm run build` (npm test builds first)');
    const loaded = staticPackages(main);
    const heavy = [...loaded]
      .filter(([name]) => HEAVY.some((h) => name === h || name.startsWith(`${h}/`)))
      .map(([name, by]) => `${name} (imported by ${by})`);
    expect(heavy).toEqual([]);
    // The walk itself works: the CLI's own framework is found.
    expect(loaded.has('commander')).toBe(true);
  });

  it("starts a crew (crew plan, approve) without Atlas's reader or Sentinel's rules", () => {
    const loaded = staticPackages(repoPath('dist', 'src', 'runtime', 'start-crew.js'));
    expect(loaded.has('compromise')).toBe(false);
    expect(loaded.has('ioredis')).toBe(true);
  });
});
