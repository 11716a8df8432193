import type { DriftItem, StackDriftResult } from '../../store/drift-types.js';
import { inertText } from '../../util/inert-text.js';

const MAX_VALUE_CHARS = 200;

/**
 * A drifted value as inert text: JSON (so a string stays quoted and control characters are
 * escaped), backticks (no code block can be closed early), bidi and line-separator characters
 * escaped too, and cut to a readable length.
 * Values come from a remote system; they are shown, never evaluated.
 */
export function renderDriftValue(value: unknown): string {
  return inertText(JSON.stringify(value) ?? 'null', MAX_VALUE_CHARS, { backticks: true });
}

export function renderDriftItem(stack: string, d: DriftItem): string {
  return `${stack} ${d.address} ${d.attribute}: ${renderDriftValue(d.expected)} → ${renderDriftValue(d.actual)}`;
}

/** One stack's result in plain text lines (the CLI's output and the OpsEvent's detail). */
export function renderStackDrift(r: StackDriftResult): string[] {
  const head =
    r.status === 'drifted'
      ? `${r.stack}: drift in ${r.drift.length} attribute${r.drift.length === 1 ? '' : 's'} (applied plan ${r.planId}, version ${r.version})`
      : r.status === 'clean'
        ? `${r.stack}: no drift (applied plan ${r.planId}, version ${r.version})`
        : `${r.stack}: ${r.status}${r.note ? ` (${r.note})` : ''}`;
  const lines = [head, ...r.drift.map((d) => `  drift: ${renderDriftItem(r.stack, d)}`)];
  for (const o of r.owned) lines.push(`  not drift: ${renderDriftItem(r.stack, o)} (owned by ${o.ownedBy})`);
  return lines;
}

/** A whole run; a clean run says so. */
export function renderDriftRun(results: readonly StackDriftResult[]): string[] {
  if (results.length === 0) return ['no applied stacks to check for drift'];
  const lines = results.flatMap(renderStackDrift);
  const drifted = results.filter((r) => r.status === 'drifted').length;
  lines.push(
    drifted
      ? `drift found in ${drifted} of ${results.length} stack${results.length === 1 ? '' : 's'}`
      : results.every((r) => r.status === 'clean')
        ? `clean: no drift in ${results.length} stack${results.length === 1 ? '' : 's'}`
        : `no drift found in the stacks that could be checked`,
  );
  return lines;
}
