import { Resvg } from '@resvg/resvg-js';
import { instance, type Viz } from '@viz-js/viz';
import { mermaidToDot } from './mermaid-to-dot.js';

// Graphviz sizes boxes with Helvetica metrics; condensed DejaVu Sans (installed almost
// everywhere) is about that wide, so labels stay inside their boxes.
const FONT = 'DejaVu Sans';

// One Graphviz (WASM) instance per process: compiling it takes longer than rendering.
let viz: Promise<Viz> | undefined;

/** Mermaid → DOT → SVG (Graphviz in WASM) → PNG (resvg): no browser, no native Graphviz. */
export async function renderDiagram(mermaid: string): Promise<{ png: Buffer; svg: string; dot: string } | undefined> {
  const dot = mermaidToDot(mermaid);
  if (!dot) return undefined;
  viz ??= instance();
  const svg = (await viz)
    .renderString(dot, { format: 'svg', engine: 'dot' })
    .replace(/font-family="[^"]*"/g, `font-family="${FONT}" font-stretch="condensed"`);
  const png = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: 2 },
    font: { loadSystemFonts: true, defaultFontFamily: FONT },
  })
    .render()
    .asPng();
  return { png: Buffer.from(png), svg, dot };
}
