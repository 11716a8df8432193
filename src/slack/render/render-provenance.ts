import type { ValueSource } from '../../../contracts/index.js';
import { listNotUnderstood } from '../../agents/atlas/list-not-understood.js';
import type { PlanRecord } from '../../plan/plan-record.js';
import { esc, fit } from './block-kit.js';

const SOURCE: Record<ValueSource['source'], string> = {
  words: 'your words',
  'org-policy': 'org policy',
  default: 'blueprint default',
  'current-spec': 'current stack',
  llm: 'LLM',
  observed: 'observed on the infrastructure (adopted drift)',
};
const MAX_ROWS = 20;

function shown(value: unknown): string {
  if (value === undefined || value === null) return 'none';
  if (Array.isArray(value)) return value.map(String).join(', ');
  if (typeof value === 'object') {
    const s = value as { stop?: { day: string; time: string }; start?: { day: string; time: string } };
    return s.stop && s.start ? `stop ${s.stop.day} ${s.stop.time}, start ${s.start.day} ${s.start.time}` : '…';
  }
  return String(value);
}

function valueAt(spec: NonNullable<PlanRecord['spec']>, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), spec);
}

/**
 * The review's "where each value came from" block: one row per value with its source (your
 * words, quoting the span; org policy; blueprint default; current stack; LLM), then what Atlas
 * could not use. Undefined before Atlas has drafted anything.
 */
export function renderProvenance(plan: PlanRecord): string | undefined {
  const spec = plan.spec;
  const unread = listNotUnderstood(plan.blocked?.rationale ?? []);
  if (!spec?.provenance && unread.length === 0) return undefined;
  const rows = Object.entries(spec?.provenance ?? {})
    .slice(0, MAX_ROWS)
    .map(([path, v]) => {
      const value = spec ? shown(valueAt(spec, path)) : 'none';
      const from = v.source === 'words' && v.span ? `your words "${v.span.text}"` : SOURCE[v.source];
      return `• ${esc(path.replace(/^params\./, ''))}: \`${esc(fit(value, 120))}\` ← ${esc(from)}`;
    });
  const lines = [
    ...(rows.length ? ['*Where each value came from:*', ...rows] : []),
    `*Not understood:* ${unread.length ? unread.map((u) => `"${esc(u)}"`).join(', ') : 'nothing'}`,
  ];
  return lines.join('\n');
}
