import { Resvg } from '@resvg/resvg-js';
import type { CostDigest } from '../../../contracts/index.js';
import { usd } from '../../util/format-usd.js';

const W = 800;
const BAR_H = 26;
const GAP = 14;
const LEFT = 170;
const RIGHT = 120;
/** Room for "$188.16 of $600.00 budget" after a bar when stacks have their own budgets. */
const RIGHT_WITH_BUDGETS = 210;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const text = (x: number, y: number, s: string, attrs = '') => `<text x="${x}" y="${y}" ${attrs}>${esc(s)}</text>`;

function legend(y: number, items: readonly (readonly [string, string])[]): string[] {
  let x = 20;
  return items.flatMap(([color, label]) => {
    const out = [
      `<rect x="${x}" y="${y - 10}" width="12" height="12" fill="${color}"/>`,
      text(x + 18, y, label, 'font-size="12" fill="#555"'),
    ];
    x += 30 + label.length * 7;
    return out;
  });
}

/**
 * The digest as an SVG: one bar per stack (what it costs, then what Spot and off-hours
 * save, stacked; a stack's own budget, when a goal set one, a dashed mark on its bar), and a
 * budget gauge with the month's spend, forecast and brake line.
 */
export function renderDigestSvg(d: CostDigest, brakeRatio = 0.8, footer: readonly string[] = []): string {
  const rows = d.stacks.length || 1;
  const chartTop = 70;
  const gaugeTop = chartTop + rows * (BAR_H + GAP) + 30;
  const H = gaugeTop + 110 + footer.length * 20;
  const ownBudgets = d.stacks.some((s) => s.budget !== undefined);
  const scaleMax = Math.max(
    1,
    ...d.stacks.map((s) => Math.max(s.monthlyUsd + s.spotSavingsUsd + s.offHoursSavingsUsd, s.budget?.monthlyUsd ?? 0)),
  );
  const px = (usdValue: number) =>
    (Math.max(0, usdValue) / scaleMax) * (W - LEFT - (ownBudgets ? RIGHT_WITH_BUDGETS : RIGHT));
  const parts: string[] = [
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    text(
      20,
      34,
      `Cost digest ${d.period.from.slice(0, 10)} to ${d.period.to.slice(0, 10)}`,
      'font-size="20" font-weight="bold" fill="#111"',
    ),
    ...legend(56, [
      ['#2f6fdf', 'monthly cost'],
      ['#7fc97f', 'Spot savings'],
      ['#beaed4', 'off-hours savings'],
      ...(ownBudgets ? ([['#111111', "stack's own budget (dashed)"]] as const) : []),
    ]),
  ];
  if (d.stacks.length === 0) parts.push(text(LEFT, chartTop + 18, 'no applied stacks', 'font-size="14" fill="#777"'));
  d.stacks.forEach((s, i) => {
    const y = chartTop + i * (BAR_H + GAP);
    let x = LEFT;
    parts.push(text(LEFT - 10, y + 18, s.stack, 'font-size="13" text-anchor="end" fill="#222"'));
    for (const [v, color] of [
      [s.monthlyUsd, '#2f6fdf'],
      [s.spotSavingsUsd, '#7fc97f'],
      [s.offHoursSavingsUsd, '#beaed4'],
    ] as const) {
      const w = px(v);
      if (w > 0)
        parts.push(`<rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${BAR_H}" fill="${color}"/>`);
      x += w;
    }
    const own = s.budget;
    if (own) {
      const bx = (LEFT + px(own.monthlyUsd)).toFixed(1);
      parts.push(
        `<line x1="${bx}" x2="${bx}" y1="${y - 4}" y2="${y + BAR_H + 4}" stroke="#111" stroke-width="2" stroke-dasharray="4 3"/>`,
      );
    }
    const label = own ? `${usd(s.monthlyUsd)} of ${usd(own.monthlyUsd)} budget` : usd(s.monthlyUsd);
    const labelX = own ? Math.max(x, LEFT + px(own.monthlyUsd)) : x;
    parts.push(text(labelX + 8, y + 18, label, 'font-size="12" fill="#222"'));
  });
  const budget = d.budget ?? Math.max(d.forecast, 1);
  const gw = W - 40;
  const gx = (v: number) => 20 + Math.min(1, Math.max(0, v / budget)) * gw;
  parts.push(
    text(
      20,
      gaugeTop,
      d.budget === null
        ? ownBudgets
          ? "Month so far (no crew-wide budget, CREW_BUDGET_USD; a stack's own budget is marked on its bar)"
          : 'Month so far (no budget set)'
        : `Budget ${usd(d.budget)}: spent ${usd(d.spend)}, forecast ${usd(d.forecast)}`,
      'font-size="14" fill="#111"',
    ),
    `<rect x="20" y="${gaugeTop + 12}" width="${gw}" height="30" fill="#eeeeee"/>`,
    `<rect x="20" y="${gaugeTop + 12}" width="${(gx(d.forecast) - 20).toFixed(1)}" height="30" fill="#f0b37e"/>`,
    `<rect x="20" y="${gaugeTop + 12}" width="${(gx(d.spend) - 20).toFixed(1)}" height="30" fill="#d9534f"/>`,
  );
  if (d.budget !== null) {
    const bx = 20 + brakeRatio * gw;
    parts.push(
      `<line x1="${bx}" x2="${bx}" y1="${gaugeTop + 6}" y2="${gaugeTop + 48}" stroke="#111" stroke-width="2" stroke-dasharray="4 3"/>`,
    );
    parts.push(
      text(
        bx,
        gaugeTop + 64,
        `brake ${Math.round(brakeRatio * 100)} %`,
        'font-size="12" text-anchor="middle" fill="#111"',
      ),
    );
  }
  parts.push(
    ...legend(gaugeTop + 64, [
      ['#d9534f', 'spent'],
      ['#f0b37e', 'forecast to month end'],
    ]),
  );
  parts.push(
    text(
      20,
      gaugeTop + 90,
      `Savings from Spot and schedules: ${usd(d.savings)}/month`,
      'font-size="13" fill="#2b7a2b"',
    ),
  );
  // Savings suggestions and estimate vs bill, one line each, cut to the width.
  footer.forEach((line, i) =>
    parts.push(
      text(
        20,
        gaugeTop + 112 + i * 20,
        line.length > 110 ? `${line.slice(0, 109)}…` : line,
        'font-size="12" fill="#333"',
      ),
    ),
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="DejaVu Sans, Arial, sans-serif">${parts.join('')}</svg>`;
}

/** PNG bytes of `renderDigestSvg`, rendered without a browser. */
export function renderDigestPng(d: CostDigest, brakeRatio = 0.8, footer: readonly string[] = []): Buffer {
  const resvg = new Resvg(renderDigestSvg(d, brakeRatio, footer), {
    background: '#ffffff',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}
