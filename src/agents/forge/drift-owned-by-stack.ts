import type { DriftItem, OwnedChange } from '../../store/drift-types.js';
import { resourceType } from './drift-value-path.js';
import { sameValue } from './drift-find-attributes.js';
import { isRecord, type Json } from './sandbox-address.js';

/** An inline policy another resource of the stack puts on a role: `aws_iam_role_policy`. */
interface RolePolicy {
  address: string;
  role: string;
  name: string;
}

/** Every resource's values in a refresh plan: the refreshed state, and what each drifted one was before. */
function resourcesOf(refreshPlan: unknown): Array<{ address: string; type: string; values: Json }> {
  const out: Array<{ address: string; type: string; values: Json }> = [];
  if (!isRecord(refreshPlan)) return out;
  const walk = (mod: unknown): void => {
    if (!isRecord(mod)) return;
    for (const r of Array.isArray(mod.resources) ? mod.resources : [])
      if (isRecord(r) && typeof r.address === 'string' && typeof r.type === 'string' && isRecord(r.values))
        out.push({ address: r.address, type: r.type, values: r.values });
    if (Array.isArray(mod.child_modules)) mod.child_modules.forEach(walk);
  };
  if (isRecord(refreshPlan.prior_state) && isRecord(refreshPlan.prior_state.values))
    walk(refreshPlan.prior_state.values.root_module);
  // A role policy deleted out of band is gone from the refreshed state: its `before` still names it.
  for (const rd of Array.isArray(refreshPlan.resource_drift) ? refreshPlan.resource_drift : [])
    if (isRecord(rd) && typeof rd.address === 'string' && typeof rd.type === 'string' && isRecord(rd.change))
      if (isRecord(rd.change.before)) out.push({ address: rd.address, type: rd.type, values: rd.change.before });
  return out;
}

function rolePolicies(refreshPlan: unknown): RolePolicy[] {
  return resourcesOf(refreshPlan).flatMap((r) =>
    r.type === 'aws_iam_role_policy' && typeof r.values.role === 'string' && typeof r.values.name === 'string'
      ? [{ address: r.address, role: r.values.role, name: r.values.name }]
      : [],
  );
}

const policyName = (p: unknown): unknown => (isRecord(p) ? p.name : undefined);

/**
 * Splits raw differences into drift and what another resource of the same stack manages: a
 * role's `inline_policy` lists the policies `aws_iam_role_policy` resources put on it, so the
 * refresh after they are created reads them into the role (AWS reports them with the role).
 * Those entries are the policy resource's to report (its own drift shows an edit or a
 * deletion); any other inline policy on the role is drift.
 */
export function splitStackOwned(
  items: readonly DriftItem[],
  refreshPlan: unknown,
): { drift: DriftItem[]; owned: OwnedChange[] } {
  const policies = rolePolicies(refreshPlan);
  const roles = new Map<string, Json>();
  for (const r of resourcesOf(refreshPlan)) if (r.type === 'aws_iam_role') roles.set(r.address, r.values);
  const drift: DriftItem[] = [];
  const owned: OwnedChange[] = [];
  for (const item of items) {
    if (resourceType(item.address) === 'aws_iam_role' && item.attribute === 'inline_policy') {
      const role = roles.get(item.address);
      const ids = new Set([role?.name, role?.id].filter((v): v is string => typeof v === 'string'));
      const mine = policies.filter((p) => ids.has(p.role));
      const names = new Set(mine.map((p) => p.name));
      const rest = (v: unknown) => (Array.isArray(v) ? v.filter((p) => !names.has(policyName(p) as string)) : v);
      if (mine.length > 0 && sameValue(rest(item.expected), rest(item.actual))) {
        owned.push({ ...item, ownedBy: `the stack's ${[...new Set(mine.map((p) => p.address))].join(', ')}` });
        continue;
      }
    }
    drift.push(item);
  }
  return { drift, owned };
}
