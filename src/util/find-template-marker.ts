// Template markers: Ansible/Jinja run what sits between them. infracrew passes every value as
// data, and in addition refuses values that carry these markers, so a value that could be code
// to a template engine never reaches one (the plan is blocked with this reason instead).

export const TEMPLATE_MARKERS = ['{{', '{%', '{#'] as const;
export type TemplateMarker = (typeof TEMPLATE_MARKERS)[number];

const MARKER = /\{[{%#]/;

/** The first template marker in `text`, if any. */
export function findTemplateMarker(text: string): TemplateMarker | undefined {
  return MARKER.exec(text)?.[0] as TemplateMarker | undefined;
}

/** The first string inside `value` (deep) that holds a marker, with its path (`value`, `a[0].b`). */
export function findTemplateMarkerIn(value: unknown, path = ''): { path: string; marker: TemplateMarker } | undefined {
  if (typeof value === 'string') {
    const marker = findTemplateMarker(value);
    return marker ? { path, marker } : undefined;
  }
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const found = findTemplateMarkerIn(v, `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const found =
        findTemplateMarkerIn(k, path ? `${path}.${k}` : k) ?? findTemplateMarkerIn(v, path ? `${path}.${k}` : k);
      if (found) return found;
    }
  }
  return undefined;
}

/** The message for the person: what holds the marker, why it is refused, what to do. */
export function describeTemplateMarker(what: string, marker: TemplateMarker): string {
  return `${what} contains "${marker}": template markers ({{, {% and {#) are refused because Ansible would run them as code. Write the value without them and plan again.`;
}
