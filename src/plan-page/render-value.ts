import { html, type SafeHtml } from './escape-html.js';

/**
 * Any JSON value as nested lists, every string escaped: for record fields whose shape the page
 * does not fix (the rollback preview, outputs). Deeper than `depth` levels it shows JSON text.
 */
export function renderValue(value: unknown, depth = 4): SafeHtml {
  if (value === null || value === undefined) return html`<span class="muted">—</span>`;
  if (typeof value !== 'object') return html`${String(value)}`;
  if (depth <= 0) return html`<code>${JSON.stringify(value)}</code>`;
  if (Array.isArray(value)) {
    if (value.length === 0) return html`<span class="muted">none</span>`;
    return html`<ul>
      ${value.map((v) => html`<li>${renderValue(v, depth - 1)}</li>`)}
    </ul>`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return html`<span class="muted">none</span>`;
  return html`<dl>
    ${entries.map(
      ([k, v]) =>
        html`<dt>${k}</dt>
          <dd>${renderValue(v, depth - 1)}</dd>`,
    )}
  </dl>`;
}
