import type { Finding, Severity } from '../../../../contracts/index.js';
import { configExpressions, isChanging, ofType, resolveExpression, type PlanIndex } from '../plan/index-plan.js';
import { lookupAll, type Lookup, type PathInput } from '../plan/lookup-value.js';
import type { PlanResource } from '../plan/plan-types.js';
import { finding, unknownFinding, type Refs, type RuleContext, type RuleInfo } from './rule-types.js';

export type Check =
  | { status: 'pass'; key: string; observed: string }
  | {
      status: 'fail';
      key: string;
      observed: string;
      message: string;
      info?: RuleInfo;
      severity?: Severity;
      refs?: Refs;
    }
  | { status: 'unknown'; key: string; path: string; info?: RuleInfo };

/** Values of one side of a change (`after` with unknowns, or `before`). */
export interface ValueSource {
  side: 'after' | 'before';
  values: Record<string, unknown>;
  get(path: PathInput): Lookup[];
}

export function beforeSource(r: PlanResource): ValueSource | null {
  const values = r.before;
  if (!values) return null;
  return { side: 'before', values, get: (path) => lookupAll(values, undefined, path) };
}

/** `after`, where an unknown leaf falls back to its configuration literal or resolvable reference. */
export function afterSource(idx: PlanIndex, r: PlanResource): ValueSource | null {
  const values = r.after;
  if (!values) return null;
  return {
    side: 'after',
    values,
    get: (path) =>
      lookupAll(values, r.afterUnknown, path).map((leaf) => {
        if (leaf.kind !== 'unknown') return leaf;
        const exprs = configExpressions(idx, r, leaf.path);
        // Unknown and never written in the configuration: a provider-computed default, i.e. unset.
        if (exprs.length === 0 && idx.plan.configResources.has(r.configKey)) return { kind: 'absent', path: leaf.path };
        if (exprs.length !== 1 || !exprs[0]) return leaf;
        const res = resolveExpression(idx, exprs[0], idx.plan.configResources.get(r.configKey)?.modulePath ?? '');
        return res.kind === 'value' ? { kind: 'value', value: res.value, path: leaf.path } : leaf;
      }),
  };
}

export type Inspect = (src: ValueSource, r: PlanResource) => Check[];

const CLEAN = '\u0000clean';

/** Checks of the `before` side by key; CLEAN holds a pass when nothing failed there at all. */
function inspectBefore(r: PlanResource, inspect: Inspect): Map<string, Check> {
  const before = beforeSource(r);
  const checks = before ? inspect(before, r) : [];
  const map = new Map<string, Check>(checks.map((c) => [c.key, c]));
  const firstPass = checks.find((c) => c.status === 'pass');
  if (firstPass && checks.every((c) => c.status === 'pass')) map.set(CLEAN, firstPass);
  return map;
}

/** Runs `inspect` on each changing resource's `after`; a failure that passed in `before` is a regression. */
export function inspectResources(ctx: RuleContext, info: RuleInfo, types: string[], inspect: Inspect): Finding[] {
  const out: Finding[] = [];
  for (const r of ofType(ctx.index, ...types)) {
    if (!isChanging(r)) continue;
    const after = afterSource(ctx.index, r);
    if (!after) continue;
    let previous: Map<string, Check> | undefined;
    for (const check of inspect(after, r)) {
      if (check.status === 'pass') continue;
      const ruleInfo = check.info ?? info;
      if (check.status === 'unknown') {
        out.push(unknownFinding(ruleInfo, r.address, check.path));
        continue;
      }
      let message = check.message;
      if (r.kind !== 'create') {
        previous ??= inspectBefore(r, inspect);
        const was = previous.get(check.key) ?? previous.get(CLEAN);
        if (was?.status === 'pass') message += ` (regression: was ${was.observed})`;
      }
      const f = finding(ruleInfo, r.address, message, check.severity ?? ruleInfo.severity);
      if (check.refs) f.refs = check.refs;
      out.push(f);
    }
  }
  return out;
}

/** Helper for the common single-attribute case: one check per leaf at `path`. */
export function checkLeaves(
  src: ValueSource,
  path: PathInput,
  test: (value: unknown) => boolean,
  describe: (leaf: Lookup) => { observed: string; message: string },
  absentFails = false,
): Check[] {
  return src.get(path).map((leaf): Check => {
    if (leaf.kind === 'unknown') return { status: 'unknown', key: leaf.path, path: leaf.path };
    const d = describe(leaf);
    if (leaf.kind === 'absent') {
      return absentFails
        ? { status: 'fail', key: leaf.path, ...d }
        : { status: 'pass', key: leaf.path, observed: d.observed };
    }
    return test(leaf.value)
      ? { status: 'pass', key: leaf.path, observed: d.observed }
      : { status: 'fail', key: leaf.path, ...d };
  });
}
