import { isRecord, type Json } from './sandbox-address.js';
import type { DriftItem } from '../../store/drift-types.js';

const RESOURCE = '(resource)';

const isEmpty = (v: unknown): boolean =>
  v === null || v === undefined || (Array.isArray(v) ? v.length === 0 : isRecord(v) && Object.keys(v).length === 0);

/**
 * The same value, where null and an empty list or map are the same: the AWS provider (on the
 * legacy plugin SDK) keeps null in the state an apply writes for an unset list, and reads it
 * back as `[]` at the next refresh. Nothing changed on the resource, so that is no drift.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (isEmpty(a) && isEmpty(b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => sameValue(a[k], b[k]));
  }
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Top-level attributes whose values differ between `before` and `after`. */
function diffAttributes(address: string, before: Json, after: Json, skip: (key: string) => boolean): DriftItem[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys
    .filter((k) => !skip(k) && !sameValue(before[k], after[k]))
    .map((k) => ({ address, attribute: k, expected: before[k] ?? null, actual: after[k] ?? null }));
}

/**
 * What a refresh found changed outside Terraform: the plan JSON's `resource_drift`, where
 * `before` is what the state held (the approved apply's result) and `after` what is there now.
 */
export function findRefreshDrift(refreshPlan: unknown): DriftItem[] {
  if (!isRecord(refreshPlan) || !Array.isArray(refreshPlan.resource_drift)) return [];
  const out: DriftItem[] = [];
  for (const rd of refreshPlan.resource_drift) {
    if (!isRecord(rd) || typeof rd.address !== 'string' || !isRecord(rd.change)) continue;
    const { before, after } = rd.change;
    if (isRecord(before) && (after === null || after === undefined)) {
      out.push({ address: rd.address, attribute: RESOURCE, expected: 'exists', actual: 'deleted' });
    } else if (isRecord(before) && isRecord(after)) {
      out.push(...diffAttributes(rd.address, before, after, () => false));
    }
  }
  return out;
}

/** Address → values of every resource in a plan JSON's values tree (root and child modules). */
function resourceValues(values: unknown): Map<string, Json> {
  const out = new Map<string, Json>();
  const walk = (mod: unknown): void => {
    if (!isRecord(mod)) return;
    if (Array.isArray(mod.resources)) {
      for (const r of mod.resources) {
        if (isRecord(r) && typeof r.address === 'string' && r.mode !== 'data' && isRecord(r.values))
          out.set(r.address, r.values);
      }
    }
    if (Array.isArray(mod.child_modules)) mod.child_modules.forEach(walk);
  };
  if (isRecord(values)) walk(values.root_module);
  return out;
}

/** after_unknown marks unknown leaves `true` and mirrors lists and objects: any `true` inside means unknown. */
function containsTrue(marker: unknown): boolean {
  if (marker === true) return true;
  if (Array.isArray(marker)) return marker.some(containsTrue);
  return isRecord(marker) && Object.values(marker).some(containsTrue);
}

/** Address → the top-level attributes the approved plan could not know (computed at apply). */
function unknownAtPlan(plan: Json): Map<string, (key: string) => boolean> {
  const out = new Map<string, (key: string) => boolean>();
  if (!Array.isArray(plan.resource_changes)) return out;
  for (const rc of plan.resource_changes) {
    if (!isRecord(rc) || typeof rc.address !== 'string' || !isRecord(rc.change)) continue;
    const u = rc.change.after_unknown;
    out.set(rc.address, u === true ? () => true : (k) => isRecord(u) && containsTrue(u[k]));
  }
  return out;
}

/**
 * Where the stack's resources now differ from what the approved plan said they would be:
 * every attribute the approved plan knew, compared with the refreshed values. This is how the
 * sandbox (whose `terraform_data` has no remote to refresh from: its state *is* the resource)
 * sees a change made behind Terraform's back.
 */
export function findDriftFromApproved(approvedPlan: unknown, refreshPlan: unknown): DriftItem[] {
  if (!isRecord(approvedPlan) || !isRecord(refreshPlan)) return [];
  const expected = resourceValues(approvedPlan.planned_values);
  // A refresh-only plan's prior_state is the refreshed state: what is there now.
  const prior = isRecord(refreshPlan.prior_state) ? refreshPlan.prior_state.values : undefined;
  const actual = resourceValues(prior ?? refreshPlan.planned_values);
  const unknown = unknownAtPlan(approvedPlan);
  const out: DriftItem[] = [];
  for (const [address, values] of expected) {
    const now = actual.get(address);
    if (!now) {
      out.push({ address, attribute: RESOURCE, expected: 'exists', actual: 'deleted' });
      continue;
    }
    const skip = unknown.get(address) ?? (() => false);
    // Only what the approved plan set: attributes it left out are the provider's to fill.
    out.push(...diffAttributes(address, values, now, (k) => skip(k) || !(k in values)));
  }
  return out;
}

/** Both sources, each (address, attribute) once: the refresh's own report wins. */
export function findDrift(refreshPlan: unknown, approvedPlan: unknown): DriftItem[] {
  const fromRefresh = findRefreshDrift(refreshPlan);
  const seen = new Set(fromRefresh.map((d) => `${d.address}\u0000${d.attribute}`));
  const fromApproved = approvedPlan === undefined ? [] : findDriftFromApproved(approvedPlan, refreshPlan);
  return [...fromRefresh, ...fromApproved.filter((d) => !seen.has(`${d.address}\u0000${d.attribute}`))].sort(
    (a, b) => a.address.localeCompare(b.address) || a.attribute.localeCompare(b.attribute),
  );
}
