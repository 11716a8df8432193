import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readImportGraph, ROOT } from '../../support/import-graph.js';

// Configuration is read in one place (src/config, and the secrets it is given from src/secrets)
// and passed down; nothing else looks at the environment, and nothing writes to it.

const READERS = ['src/config/', 'src/secrets/'];
const WRITE =
  /\bprocess\.env\s*=(?!=)|\bprocess\.env(?:\.\w+|\[[^\]]+\])\s*(?:\?\?|\|\||&&)?=(?!=)|\bdelete\s+process\.env\b|\bObject\.assign\(\s*process\.env\b/;

const sources = readImportGraph(['src', 'handlers']).files.map((file) => ({
  file,
  text: readFileSync(join(ROOT, file), 'utf8'),
}));

function linesMatching(re: RegExp, files: typeof sources): string[] {
  return files.flatMap(({ file, text }) =>
    text.split('\n').flatMap((line, i) => (re.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
  );
}

describe('the process environment', () => {
  it('is read only by src/config and src/secrets', () => {
    const elsewhere = sources.filter(({ file }) => !READERS.some((dir) => file.startsWith(dir)));
    expect(linesMatching(/\bprocess\.env\b/, elsewhere)).toEqual([]);
  });

  it('is never written to: secrets are passed to the code that needs them', () => {
    expect(linesMatching(WRITE, sources)).toEqual([]);
  });

  it('catches a read and a write when one is added', () => {
    const planted = [
      {
        file: 'src/slack/made-up.ts',
        text: 'const a = process.env.SLACK_BOT_TOKEN;\nprocess.env.X = a;\nprocess.env["Y"] ??= a;\nObject.assign(process.env, {});',
      },
    ];
    expect(linesMatching(/\bprocess\.env\b/, planted)).toHaveLength(4);
    expect(linesMatching(WRITE, planted)).toHaveLength(3);
    expect(linesMatching(WRITE, [{ file: 'x.ts', text: 'if (process.env.A === "1") f(process.env.B);' }])).toEqual([]);
  });
});
