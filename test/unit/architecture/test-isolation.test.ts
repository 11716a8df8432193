import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../support/import-graph.js';

// Test files share a worker process and its module cache (vitest.config.ts: isolate: false),
// so a file may leave nothing process-wide behind for the next: an environment variable it sets
// is deleted or restored, fake timers and module mocks are not used, and a file that runs
// another file's suites loads them afresh.

function testFiles(dir: string, out: string[] = []): string[] {
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) testFiles(p, out);
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

const files = testFiles(join(ROOT, 'test')).map((p) => ({
  file: relative(ROOT, p),
  text: readFileSync(p, 'utf8'),
}));
// This file names the patterns it looks for.
const others = files.filter(({ file }) => file !== 'test/unit/architecture/test-isolation.test.ts');

describe('test files leave nothing behind for the next file in their worker', () => {
  it('restore every environment variable they set', () => {
    const unrestored = others.flatMap(({ file, text }) =>
      [...text.matchAll(/\bprocess\.env\.([A-Z0-9_]+)\s*=(?!=)/g)]
        .map((m) => m[1]!)
        .filter(
          (name) =>
            !new RegExp(`delete\\s+process\\.env\\.${name}\\b`).test(text) && !/delete\s+process\.env\[/.test(text),
        )
        .map((name) => `${file}: ${name}`),
    );
    expect(unrestored).toEqual([]);
  });

  it('put the environment back on the real process.env, never replace the object', () => {
    const replaced = others.flatMap(({ file, text }) =>
      text.split('\n').flatMap((line, i) => (/\bprocess\.env\s*=(?!=)/.test(line) ? [`${file}:${i + 1}`] : [])),
    );
    expect(replaced).toEqual([]);
  });

  it('keep a handle on every Redis connection they open, so they can close it', () => {
    // `redis.duplicate().monitor()` leaves the duplicate connected (and reconnecting forever once
    // the test's server stops) in a worker that outlives the file.
    const unclosable = others.flatMap(({ file, text }) =>
      text.split('\n').flatMap((line, i) => (/\.duplicate\(\)\.\w+\(/.test(line) ? [`${file}:${i + 1}`] : [])),
    );
    expect(unclosable).toEqual([]);
  });

  it('use no module mocks or fake timers, which would outlive the file', () => {
    const found = others.flatMap(({ file, text }) =>
      [...text.matchAll(/\bvi\.(mock|doMock|useFakeTimers|stubGlobal|stubEnv)\(/g)].map((m) => `${file}: vi.${m[1]}`),
    );
    expect(found).toEqual([]);
  });

  it('load the suites of other test files afresh when they run them', () => {
    const stale = others
      .filter(({ text }) => /\bimport\(\s*['"][^'"]+\.test\.js['"]\s*\)/.test(text))
      .filter(({ text }) => !/\bvi\.resetModules\(\)/.test(text))
      .map(({ file }) => file);
    expect(stale).toEqual([]);
    expect(others.some(({ text }) => /\bimport\(\s*['"][^'"]+\.test\.js['"]\s*\)/.test(text))).toBe(true);
  });
});
