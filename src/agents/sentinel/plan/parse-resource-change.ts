import { asRecord } from './lookup-value.js';
import type { ActionKind, PlanResource, StateResource } from './plan-types.js';

// Instance keys (`[0]`, `["a"]`) are stripped to get the configuration address.
const INSTANCE_KEY = /\[(?:"(?:[^"\\]|\\.)*"|\d+)\]/g;

export function configKeyOf(address: string): string {
  return address.replace(INSTANCE_KEY, '');
}

export function actionKind(actions: string[]): ActionKind {
  if (actions.includes('delete') && actions.includes('create')) return 'replace';
  const first = actions[0];
  switch (first) {
    case 'create':
    case 'update':
    case 'delete':
    case 'read':
    case 'forget':
      return first;
    default:
      return 'no-op';
  }
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

export function parseResourceChange(raw: unknown, where: string): Parsed<PlanResource> {
  const rc = asRecord(raw);
  if (!rc) return { ok: false, reason: `${where}: must be an object` };
  for (const field of ['address', 'type', 'name'] as const) {
    if (typeof rc[field] !== 'string') return { ok: false, reason: `${where}: missing ${field}` };
  }
  const change = asRecord(rc.change);
  if (!change) return { ok: false, reason: `${where}: missing change` };
  const actions = change.actions;
  if (!Array.isArray(actions) || actions.length === 0 || !actions.every((a) => typeof a === 'string')) {
    return { ok: false, reason: `${where}.change.actions: must be a non-empty list of strings` };
  }
  const address = rc.address as string;
  return {
    ok: true,
    value: {
      address,
      configKey: configKeyOf(address),
      previousAddress: typeof rc.previous_address === 'string' ? rc.previous_address : undefined,
      moduleAddress: typeof rc.module_address === 'string' ? rc.module_address : undefined,
      mode: rc.mode === 'data' ? 'data' : 'managed',
      type: rc.type as string,
      name: rc.name as string,
      index: typeof rc.index === 'string' || typeof rc.index === 'number' ? rc.index : undefined,
      providerName: typeof rc.provider_name === 'string' ? rc.provider_name : '',
      actions: actions as string[],
      kind: actionKind(actions as string[]),
      before: asRecord(change.before),
      after: asRecord(change.after),
      afterUnknown: change.after_unknown ?? {},
      beforeSensitive: change.before_sensitive ?? {},
      afterSensitive: change.after_sensitive ?? {},
      replacePaths: Array.isArray(change.replace_paths) ? change.replace_paths : undefined,
      actionReason: typeof rc.action_reason === 'string' ? rc.action_reason : undefined,
    },
  };
}

/** Flattens `{root_module: {resources, child_modules}}` (planned_values / prior_state.values). */
export function readStateModule(raw: unknown): StateResource[] {
  const out: StateResource[] = [];
  const visit = (mod: unknown): void => {
    const m = asRecord(mod);
    if (!m) return;
    for (const r of Array.isArray(m.resources) ? m.resources : []) {
      const rec = asRecord(r);
      if (!rec || typeof rec.address !== 'string' || typeof rec.type !== 'string') continue;
      out.push({
        address: rec.address,
        configKey: configKeyOf(rec.address),
        mode: rec.mode === 'data' ? 'data' : 'managed',
        type: rec.type,
        name: typeof rec.name === 'string' ? rec.name : '',
        values: asRecord(rec.values) ?? {},
      });
    }
    for (const c of Array.isArray(m.child_modules) ? m.child_modules : []) visit(c);
  };
  visit(asRecord(raw)?.root_module);
  return out;
}
