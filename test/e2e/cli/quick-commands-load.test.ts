import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonOf, makeCrewEnv, type CrewEnv } from '../../support/crew-env.js';
import type { CrewResult } from '../../support/run-crew.js';
import { repoPath } from '../../support/paths.js';

// A read-only command loads its own module and what it uses, not the crew: no agents, no
// Slack, no AWS SDK, no policy engine, no language model, no PostgreSQL client when none is set.
const HEAVY = [
  '@aws-sdk',
  '@slack/bolt',
  '@slack/web-api',
  '@cedar-policy/cedar-wasm',
  'ajv',
  'ajv-formats',
  '@sinclair/typebox',
  'compromise',
  'chrono-node',
  '@resvg/resvg-js',
  '@viz-js/viz',
  'pg',
  'yaml',
  'execa',
  'pino',
  'fastify',
  'prom-client',
  '@modelcontextprotocol/sdk',
  'zod',
  'ollama',
  'node-vault',
  'undici',
  'croner',
];

const RECORDER = repoPath('test', 'support', 'record-loaded-modules.mjs');

interface BundleMeta {
  outputs: Record<string, { inputs: Record<string, unknown> }>;
}
let meta: BundleMeta | undefined;
/** What esbuild put in each chunk of the bundled CLI (written by `npm run build`). */
function bundleMeta(): BundleMeta {
  meta ??= JSON.parse(readFileSync(repoPath('dist', 'bundle', 'meta.json'), 'utf8')) as BundleMeta;
  return meta;
}

let t: CrewEnv;
let dir: string;
beforeAll(async () => {
  t = await makeCrewEnv();
  dir = mkdtempSync(join(tmpdir(), 'crew-loaded-'));
});
afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `crew args` and returns its result and the packages (by name) it loaded. */
async function crewLoading(args: string[], name: string): Promise<{ r: CrewResult; packages: Set<string> }> {
  const list = join(dir, name);
  const r = await t.crew(args, {
    NODE_OPTIONS: `--import=${RECORDER}`,
    CREW_TEST_LOADED_MODULES: list,
  });
  // A chunk of the bundled CLI stands for every source it holds (dist/bundle/meta.json).
  const sources = (line: string) => {
    const chunk = /\/(dist\/bundle\/[^/]+\.js)$/.exec(line)?.[1];
    return chunk ? Object.keys(bundleMeta().outputs[chunk]?.inputs ?? {}) : [line];
  };
  const packages = new Set(
    readFileSync(list, 'utf8')
      .split('\n')
      .flatMap(sources)
      .flatMap((line) => [...line.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)\//g)].map((m) => m[1]!)),
  );
  return { r, packages };
}

const heavyIn = (packages: Set<string>) => HEAVY.filter((h) => packages.has(h));

describe('quick commands load only what they use', () => {
  it('crew status --json reads Redis with ioredis and loads no heavy package', async () => {
    const { r, packages } = await crewLoading(['status', '--json'], 'status');
    // What runs is the bundled CLI (bin/crew.js picks it when it is fresh), so chunks are what is recorded.
    expect(readFileSync(join(dir, 'status'), 'utf8')).toMatch(/dist\/bundle\/main\.js/);
    expect(r.code, r.stderr).toBe(0);
    expect(jsonOf<unknown[]>(r)).toEqual([]);
    expect(heavyIn(packages)).toEqual([]);
    // The recording works: what status does use is there.
    expect(packages.has('ioredis')).toBe(true);
    expect(packages.has('commander')).toBe(true);
  });

  it('crew history and crew audit (no database set) load no heavy package either', async () => {
    const history = await crewLoading(['history', 'p-nosuchplan'], 'history');
    expect(history.r.stderr).toContain('no plan with id p-nosuchplan');
    expect(heavyIn(history.packages)).toEqual([]);
    const audit = await crewLoading(['audit', '--since', '2026-01-01'], 'audit');
    expect(audit.r.stderr).toContain('CREW_DATABASE_URL');
    expect(heavyIn(audit.packages)).toEqual([]);
  });

  it('a command that does need a heavy package is seen loading it (crew parse: the language model)', async () => {
    // A number in words: the one thing that makes Atlas load compromise for this goal.
    const { r, packages } = await crewLoading(
      ['parse', 'private Ollama on spot g4dn.xlarge, budget five hundred dollars a month', '--json'],
      'parse',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(packages.has('compromise')).toBe(true);
  });

  it('crew plan judges the goal by the built-in policy without loading Cedar, reads it without a model client, checks artifacts without TypeBox', async () => {
    const { r, packages } = await crewLoading(
      ['plan', 'private Ollama on spot g4dn.xlarge, stack loads', '--as', 'alice', '--json'],
      'plan',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(jsonOf<{ state: string }>(r).state).toBe('WAIT_FOR_APPROVE');
    expect(packages.has('@cedar-policy/cedar-wasm')).toBe(false);
    // No language model is set: its client stays unloaded.
    expect(packages.has('ollama')).toBe(false);
    // The contracts' schemas are compiled ahead of time: checking artifacts needs no TypeBox.
    expect(packages.has('@sinclair/typebox')).toBe(false);
    // The recording sees what the plan did load: the agents' packages.
    expect(packages.has('ioredis')).toBe(true);
    expect(packages.has('pino')).toBe(true);
  });

  it('a goal without a number in words is read without the language model (crew parse)', async () => {
    const { r, packages } = await crewLoading(['parse', 'private Ollama on spot g4dn.xlarge', '--json'], 'parse-plain');
    expect(r.code, r.stderr).toBe(0);
    expect(packages.has('compromise')).toBe(false);
  });
});
