// `ansible-playbook --check` output in a few lines for a plan review: which tasks would change
// which hosts, and the recap's totals. The full diff stays in the workspace's log, not the review.

const TASK = /^(?:TASK|RUNNING HANDLER) \[(.+?)\]/;
const CHANGED = /^changed: \[([^\]]+)\]/;
const RECAP = /^(\S+)\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)/;

/** What a `--check` run reported; `max` bounds the text (a BuildStatus detail is short). */
export function summarizeAnsibleCheck(output: string, label: string, max = 1200): string {
  const changedBy = new Map<string, string[]>();
  let task = '';
  let hosts = 0;
  const totals = { changed: 0, unreachable: 0, failed: 0 };
  for (const line of output.split('\n')) {
    const t = TASK.exec(line);
    if (t) task = t[1] ?? '';
    const c = CHANGED.exec(line);
    if (c && task) changedBy.set(task, [...(changedBy.get(task) ?? []), c[1] ?? '']);
    const r = RECAP.exec(line);
    if (r) {
      hosts += 1;
      totals.changed += Number(r[3]);
      totals.unreachable += Number(r[4]);
      totals.failed += Number(r[5]);
    }
  }
  const head =
    `${label} --check on ${hosts} host(s): ${totals.changed} change(s) would be made` +
    (totals.unreachable ? `, ${totals.unreachable} host(s) unreachable` : '') +
    (totals.failed ? `, ${totals.failed} task(s) failed` : '');
  const tasks = [...changedBy].map(([name, on]) => `  would change: ${name} (${on.join(', ')})`);
  const text = [head, ...tasks].join('\n');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
