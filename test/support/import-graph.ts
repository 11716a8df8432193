import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

// The code's shape, read from its import statements: which folder imports which, and whether
// that runs against the layer order docs/architecture.md draws.

export const ROOT = resolve(import.meta.dirname, '..', '..');

/** Lowest first: a folder may import folders of its own layer or below, never above. */
export const LAYERS: readonly (readonly string[])[] = [
  ['src/errors.ts', 'src/util', 'src/log', 'src/config'],
  ['contracts'],
  ['src/plan', 'src/access'],
  ['src/redis', 'src/store', 'src/bus', 'src/secrets'],
  ['src/conductor', 'src/observability'],
  ['src/agents'],
  ['src/runtime', 'src/plan-page'],
  ['src/slack', 'src/api'],
  ['handlers', 'src/mcp'],
  ['src/cli'],
];

export interface ImportEdge {
  from: string;
  to: string;
}

function walk(dir: string, out: string[] = []): string[] {
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) {
      if (!['node_modules', 'dist', 'json'].includes(f)) walk(p, out);
    } else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** `src/store/plan-store.ts` → `src/store`; `handlers/x.ts` → `handlers`; `src/errors.ts` stays itself. */
export function folderOf(file: string): string {
  const parts = file.split('/');
  if (parts[0] === 'src') return parts.length > 2 ? `src/${parts[1]}` : file;
  return parts[0] ?? file;
}

export function layerOf(folder: string): number {
  return LAYERS.findIndex((layer) => layer.includes(folder));
}

/** Every relative import (static, re-export or dynamic) between the product's source files. */
export function readImportGraph(dirs: readonly string[] = ['src', 'handlers', 'contracts']): {
  files: string[];
  edges: ImportEdge[];
} {
  const files = dirs.flatMap((d) => walk(join(ROOT, d)));
  const edges: ImportEdge[] = [];
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const specs = [
      ...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"`;]*?from\s+['"](\.[^'"]+)['"]/g),
      ...text.matchAll(/\bimport\(\s*['"](\.[^'"]+)['"]\s*\)/g),
    ].map((m) => m[1]!);
    for (const spec of specs)
      edges.push({ from: relative(ROOT, f), to: relative(ROOT, resolve(dirname(f), spec).replace(/\.js$/, '.ts')) });
  }
  return { files: files.map((f) => relative(ROOT, f)), edges };
}

/** Imports from a lower layer into a higher one (and from folders the table does not know). */
export function wrongWayImports(edges: readonly ImportEdge[]): Array<ImportEdge & { why: string }> {
  const out: Array<ImportEdge & { why: string }> = [];
  for (const e of edges) {
    const a = folderOf(e.from);
    const b = folderOf(e.to);
    if (a === b) continue;
    const la = layerOf(a);
    const lb = layerOf(b);
    if (la < 0 || lb < 0) out.push({ ...e, why: `${la < 0 ? a : b} is not in the layer table` });
    else if (lb > la) out.push({ ...e, why: `${a} (layer ${la}) imports ${b} (layer ${lb})` });
  }
  return out;
}

/** Strongly connected groups (size > 1) of a directed graph: its cycles. */
export function cyclesOf(edges: ReadonlyArray<readonly [string, string]>): string[][] {
  const adj = new Map<string, Set<string>>();
  for (const [a, b] of edges) {
    if (a === b) continue;
    if (!adj.has(a)) adj.set(a, new Set());
    adj.get(a)!.add(b);
  }
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of adj.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1) out.push(group.sort());
    }
  };
  for (const v of adj.keys()) if (!idx.has(v)) visit(v);
  return out;
}

export function folderCycles(edges: readonly ImportEdge[]): string[][] {
  return cyclesOf(edges.map((e) => [folderOf(e.from), folderOf(e.to)] as const));
}

export function fileCycles(edges: readonly ImportEdge[]): string[][] {
  return cyclesOf(edges.map((e) => [e.from, e.to] as const));
}

/** The longest functions (by lines), for the report. */
export function longestFunctions(
  files: readonly string[],
  n = 5,
): Array<{ file: string; name: string; lines: number }> {
  const out: Array<{ file: string; name: string; lines: number }> = [];
  for (const rel of files) {
    const sf = ts.createSourceFile(rel, readFileSync(join(ROOT, rel), 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node) && 'body' in node && node.body) {
        const lines =
          sf.getLineAndCharacterOfPosition(node.getEnd()).line -
          sf.getLineAndCharacterOfPosition(node.getStart()).line +
          1;
        const named =
          node.name?.getText(sf) ??
          (ts.isVariableDeclaration(node.parent) ? node.parent.name.getText(sf) : '(anonymous)');
        out.push({ file: rel, name: named, lines });
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return out.sort((a, b) => b.lines - a.lines).slice(0, n);
}
