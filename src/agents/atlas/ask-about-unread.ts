import type { UnreadKind, UnreadValue } from './find-unread-values.js';

const HOW: Record<UnreadKind, string> = {
  money: 'say the budget as an amount per month, e.g. "$200/month"',
  count: 'say the count with what it counts, e.g. "3 workers", "between 1 and 4 instances"',
  time: 'say it as a weekday and a time, e.g. "stop Friday 22:00, start Monday 07:00"',
  network: 'say it as a CIDR with its role, e.g. "reachable from 10.0.0.0/16"',
  name: 'say it as "stack my-stack", "asg my-asg" or "record app.lab.internal"',
  word: 'write it in plain ASCII letters and digits, e.g. "g5.xlarge"',
  size: 'say what the size is for, e.g. "16 GB of memory", "100 GB disk"; cores and memory are set only for Proxmox k3s VMs (on AWS the instance type decides them, e.g. "g5.2xlarge")',
};

/** Lines for the review: what was not understood. */
export function describeUnread(unread: readonly UnreadValue[]): string[] {
  return unread.map((u) => `Not understood: "${u.text}".`);
}

/** The question a blocked plan asks when a value-like part of the goal was not read. */
export function askAboutUnread(unread: readonly UnreadValue[]): string {
  const [first] = unread;
  if (!first) return '';
  const more = unread.length > 1 ? ` (and ${unread.length - 1} more: see below)` : '';
  return `I could not read "${first.text}"${more}: ${HOW[first.kind]}?`;
}
