import type { BlueprintName, TargetName } from '../../../contracts/index.js';

// Where each blueprint can run. A target outside the list is replaced, with a rationale line.
const COMPATIBLE: Record<BlueprintName, readonly TargetName[]> = {
  'aws-spot-ollama': ['sandbox', 'aws'],
  'proxmox-k3s': ['sandbox', 'proxmox'],
  'dns-record': ['dns'],
  'asg-schedule': ['aws'],
};

/**
 * Target choice: the goal's explicit target, else the stack's current one, else
 * `defaults.target`, as long as the blueprint runs there; otherwise the blueprint's own
 * (sandbox for aws-spot-ollama and proxmox-k3s, dns for dns-record, aws for asg-schedule,
 * since schedules are AWS SDK calls).
 */
export function pickTarget(
  blueprint: BlueprintName,
  asked: TargetName | undefined,
  current: TargetName | undefined,
  fallback: TargetName,
  notes: string[],
): TargetName {
  const ok = COMPATIBLE[blueprint];
  if (asked && ok.includes(asked)) {
    notes.push(`Target ${asked} (asked for).`);
    return asked;
  }
  if (asked)
    notes.push(
      `Target ${asked} cannot run a ${blueprint} plan; using ${current ?? (ok.includes(fallback) ? fallback : ok[0])} instead.`,
    );
  if (current && ok.includes(current)) return current;
  if (ok.includes(fallback)) {
    notes.push(`Target ${fallback} (default).`);
    return fallback;
  }
  const own = ok[0] ?? 'sandbox';
  notes.push(`Target ${own}: where ${blueprint} plans run.`);
  return own;
}
