// Translates the small Mermaid subset Atlas draws (`graph TD`, nodes `id[label]`, `id((label))`,
// `id(label)`, `id{label}`, edges `-->`, `-.->`, `==>`, `---` with optional `|label|`) into DOT,
// so the diagram renders with Graphviz and no browser.

interface Node {
  id: string;
  label: string;
  shape: string;
}

interface Edge {
  from: string;
  to: string;
  label?: string;
  style: 'solid' | 'dashed' | 'bold';
  arrow: boolean;
}

const SHAPES: Array<[RegExp, string]> = [
  [/^\(\(\s*(?:"([^"]*)"|([^)]*))\s*\)\)/, 'ellipse'],
  [/^\[\s*(?:"([^"]*)"|([^\]]*))\s*\]/, 'box'],
  [/^\(\s*(?:"([^"]*)"|([^)]*))\s*\)/, 'box'],
  [/^\{\s*(?:"([^"]*)"|([^}]*))\s*\}/, 'diamond'],
];
const ID = /^([A-Za-z_][\w-]*)/;
const EDGE = /^\s*(-\.->|-->|==>|---)\s*(?:\|([^|]*)\|)?\s*/;

function readNode(s: string, nodes: Map<string, Node>): { id: string; rest: string } | undefined {
  const m = ID.exec(s);
  if (!m?.[1]) return undefined;
  const id = m[1];
  let rest = s.slice(m[0].length);
  const known = nodes.get(id);
  for (const [re, shape] of SHAPES) {
    const sm = re.exec(rest);
    if (!sm) continue;
    nodes.set(id, { id, label: (sm[1] ?? sm[2] ?? id).trim(), shape });
    rest = rest.slice(sm[0].length);
    return { id, rest };
  }
  if (!known) nodes.set(id, { id, label: id, shape: 'box' });
  return { id, rest };
}

function parseLine(line: string, nodes: Map<string, Node>, edges: Edge[]): void {
  let first = readNode(line, nodes);
  if (!first) return;
  let rest = first.rest;
  for (;;) {
    const e = EDGE.exec(rest);
    if (!e?.[1]) return;
    const next = readNode(rest.slice(e[0].length), nodes);
    if (!next) return;
    const op = e[1];
    edges.push({
      from: first.id,
      to: next.id,
      ...(e[2]?.trim() ? { label: e[2].trim() } : {}),
      style: op === '-.->' ? 'dashed' : op === '==>' ? 'bold' : 'solid',
      arrow: op !== '---',
    });
    first = next;
    rest = next.rest;
  }
}

const str = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** DOT for a Mermaid flowchart; undefined when there is nothing to draw. */
export function mermaidToDot(mermaid: string): string | undefined {
  const lines = mermaid
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('%%'));
  const header = /^(graph|flowchart)\s+(TD|TB|BT|LR|RL)\b/i.exec(lines[0] ?? '');
  const rankdir = header?.[2]?.toUpperCase() === 'TD' ? 'TB' : (header?.[2]?.toUpperCase() ?? 'TB');
  const nodes = new Map<string, Node>();
  const edges: Edge[] = [];
  for (const line of header ? lines.slice(1) : lines) parseLine(line.replace(/;$/, ''), nodes, edges);
  if (nodes.size === 0) return undefined;
  const out = [
    'digraph crew {',
    `  rankdir=${rankdir};`,
    '  bgcolor="white"; pad=0.3;',
    '  node [shape=box, style="rounded,filled", fillcolor="#eef3fb", color="#3b6fb6", fontname="Helvetica", fontsize=11];',
    '  edge [color="#555555", fontname="Helvetica", fontsize=9];',
  ];
  for (const n of nodes.values())
    out.push(`  ${str(n.id)} [label=${str(n.label)}${n.shape === 'box' ? '' : `, shape=${n.shape}`}];`);
  for (const e of edges) {
    const attrs = [
      e.label ? `label=${str(e.label)}` : '',
      e.style === 'solid' ? '' : `style=${e.style}`,
      e.arrow ? '' : 'arrowhead=none',
    ].filter(Boolean);
    out.push(`  ${str(e.from)} -> ${str(e.to)}${attrs.length ? ` [${attrs.join(', ')}]` : ''};`);
  }
  out.push('}');
  return out.join('\n');
}
