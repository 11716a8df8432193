import { describe, expect, it } from 'vitest';
import {
  fileCycles,
  folderCycles,
  folderOf,
  LAYERS,
  longestFunctions,
  readImportGraph,
  wrongWayImports,
} from '../../support/import-graph.js';

// contracts ← plan ← store/bus ← conductor ← agents ← runtime ← slack ← handlers ← cli:
// a lower folder never imports a higher one, and no folders (or files) import each other in a circle.

const graph = readImportGraph();

describe('layers', () => {
  it('no import runs against the layer order, and every folder has a layer', () => {
    expect(wrongWayImports(graph.edges).map((e) => `${e.from} → ${e.to}: ${e.why}`)).toEqual([]);
  });

  it('no folder cycles and no file cycles', () => {
    expect(folderCycles(graph.edges)).toEqual([]);
    expect(fileCycles(graph.edges)).toEqual([]);
  });

  it('catches a wrong-way import and a folder cycle when one is added', () => {
    const planted = [
      ...graph.edges,
      { from: 'src/store/plan-store.ts', to: 'src/conductor/conductor.ts' },
      { from: 'src/slack/post-review.ts', to: 'handlers/register-handlers.ts' },
      { from: 'src/plan/made-up.ts', to: 'src/nowhere/x.ts' },
    ];
    expect(wrongWayImports(planted).map((e) => e.why)).toEqual([
      'src/store (layer 3) imports src/conductor (layer 4)',
      'src/slack (layer 7) imports handlers (layer 8)',
      'src/nowhere is not in the layer table',
    ]);
    expect(folderCycles(planted).map((c) => c.join(' '))).toEqual(['src/conductor src/store', 'handlers src/slack']);
  });

  it('reports the shape of the code', () => {
    const perFolder = new Map<string, number>();
    for (const f of graph.files) perFolder.set(folderOf(f), (perFolder.get(folderOf(f)) ?? 0) + 1);
    const longest = longestFunctions(graph.files);
    console.log(
      [
        `${graph.files.length} source files, ${LAYERS.length} layers, ${folderCycles(graph.edges).length} folder cycles, ${wrongWayImports(graph.edges).length} wrong-way imports`,
        `files per folder: ${[...perFolder]
          .sort()
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`,
        `longest functions: ${longest.map((f) => `${f.name} (${f.file}) ${f.lines}`).join('; ')}`,
      ].join('\n'),
    );
    expect(graph.files.length).toBeGreaterThan(100);
  });
});
