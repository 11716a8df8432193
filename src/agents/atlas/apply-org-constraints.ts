import type { AtlasOutcome, Draft, OrgConstraints } from './atlas-types.js';
import { regex } from '../../util/regexps.js';

type Blocked = Extract<AtlasOutcome, { kind: 'blocked' }>;

function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replaceAll('*', '.*')
    .replaceAll('?', '.');
  return regex(`^${body}$`, 'i');
}

/**
 * Org policy, checked before Forge sees the plan. A clash blocks with the reason; a stack with
 * no budget under a per-stack cap gets the cap as its budget (noted), since that is the policy.
 */
export function applyOrgConstraints(draft: Draft, c: OrgConstraints | undefined): Blocked | undefined {
  if (!c) return undefined;
  const clashes: string[] = [];
  if (
    c.allowedRegions &&
    draft.region &&
    (draft.blueprint === 'aws-spot-ollama' || draft.blueprint === 'asg-schedule') &&
    !c.allowedRegions.includes(draft.region)
  ) {
    clashes.push(`region ${draft.region} is not allowed by org policy (allowed: ${c.allowedRegions.join(', ')})`);
  }
  if (draft.blueprint === 'aws-spot-ollama') {
    const p = draft.params as { instanceTypes: string[]; ollamaPort: number };
    if (c.allowedInstanceTypes) {
      const globs = c.allowedInstanceTypes.map(globToRegExp);
      const denied = p.instanceTypes.filter((t) => !globs.some((g) => g.test(t)));
      if (denied.length)
        clashes.push(
          `instance type ${denied.join(', ')} is not allowed by org policy (allowed: ${c.allowedInstanceTypes.join(', ')})`,
        );
    }
    if (c.allowedPorts && !c.allowedPorts.includes(p.ollamaPort)) {
      clashes.push(`port ${p.ollamaPort} is not allowed by org policy (allowed: ${c.allowedPorts.join(', ')})`);
    }
  }
  if (c.maxMonthlyUsdPerStack !== undefined) {
    if (draft.monthlyUsd !== null && draft.monthlyUsd > c.maxMonthlyUsdPerStack) {
      clashes.push(
        `budget $${draft.monthlyUsd}/month is over the org limit of $${c.maxMonthlyUsdPerStack}/month per stack`,
      );
    } else if (
      draft.monthlyUsd === null &&
      (draft.blueprint === 'aws-spot-ollama' || draft.blueprint === 'proxmox-k3s')
    ) {
      draft.monthlyUsd = c.maxMonthlyUsdPerStack;
      draft.notes.push(`Budget set to the org limit of $${c.maxMonthlyUsdPerStack}/month per stack.`);
    }
  }
  if (clashes.length === 0) return undefined;
  const reason = clashes.join('; ');
  return { kind: 'blocked', reason, rationale: [...draft.notes, ...clashes.map((x) => `Org policy: ${x}.`)] };
}
