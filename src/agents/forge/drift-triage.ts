import type { GoalStatement } from '../../../contracts/index.js';
import { ok, refuse, type Result } from '../../errors.js';
import type { PlanRecord } from '../../plan/plan-record.js';
import type { DriftStore } from '../../store/drift-store.js';
import type { StackStore, StackVersion } from '../../store/stack-store.js';
import { mapDriftToParams, type AdoptMapping } from './drift-adopt-params.js';
import { renderDriftValue } from './drift-render-text.js';

export interface DriftTriageOptions {
  /** PlanOperations: the same access checks, audit and pipeline as any goal. */
  ops: { submitGoal(goal: GoalStatement, producer: string): Promise<Result<PlanRecord>> };
  stacks: Pick<StackStore, 'current'>;
  store: Pick<DriftStore, 'lastResult'>;
}

export interface TriageRequest {
  stack: string;
  /** Who clicked or typed: the plan's requester. */
  by: string;
  /** The surface (`slack`, `cli`). */
  producer: string;
  channel?: string;
  /** The applied version the person's drift report was about; a stack that moved on since is refused. */
  version?: number;
}

export interface Triaged {
  plan: PlanRecord;
  version: number;
  /** Adopt only: what maps to spec params and what does not. */
  mapping?: AdoptMapping;
}

async function appliedVersion(
  o: DriftTriageOptions,
  r: TriageRequest,
): Promise<Result<StackVersion & { spec: NonNullable<StackVersion['spec']> }>> {
  const current = await o.stacks.current(r.stack);
  if (!current?.spec) return refuse('not-found', `no applied stack named ${JSON.stringify(r.stack.slice(0, 40))}`);
  if (r.version !== undefined && r.version !== current.version)
    return refuse(
      'refused',
      `stack ${r.stack} moved on to version ${current.version} since this drift report (version ${r.version}); check drift again`,
    );
  return ok({ ...current, spec: current.spec });
}

/**
 * Revert: a normal plan back to the stack's applied (approved) spec. Terraform's plan against the
 * drifted infrastructure shows the changes that restore the approved values; nothing is applied
 * before Sentinel's review and a human approval.
 */
export async function revertDrift(o: DriftTriageOptions, r: TriageRequest): Promise<Result<Triaged>> {
  const applied = await appliedVersion(o, r);
  if (!applied.ok) return applied;
  const { version, planId, spec } = applied.value;
  const submitted = await o.ops.submitGoal(
    {
      text: `Revert stack ${r.stack} to its approved spec (version ${version}, plan ${planId})`,
      requestedBy: r.by,
      stack: r.stack,
      target: spec.target,
      ...(r.channel ? { channel: r.channel } : {}),
      drift: { action: 'revert', version },
    },
    r.producer,
  );
  return submitted.ok ? ok({ plan: submitted.value, version }) : submitted;
}

/** Adopt's explanation, one line per attribute (values shown as inert text). */
export function describeMapping(m: AdoptMapping): string[] {
  return [
    ...m.adopted.map(
      (a) =>
        `adopt: ${a.param} ${renderDriftValue(a.from)} → ${renderDriftValue(a.to)} (observed ${a.address} ${a.attribute})`,
    ),
    ...m.notAdopted.map((n) => `not adopted: ${n.address} ${n.attribute}: ${n.why}`),
  ];
}

/**
 * Adopt: a change request setting each spec param that maps to a drifted attribute (in the
 * stack's last drift check of its applied version) to the observed value; refused, with the
 * reasons, when no param maps to any of them. What does not map is restored by the plan.
 */
export async function adoptDrift(o: DriftTriageOptions, r: TriageRequest): Promise<Result<Triaged>> {
  const applied = await appliedVersion(o, r);
  if (!applied.ok) return applied;
  const { version, planId, spec } = applied.value;
  const last = await o.store.lastResult(r.stack);
  if (!last || last.version !== version || last.status !== 'drifted' || last.drift.length === 0)
    return refuse(
      'refused',
      `no drift recorded for stack ${r.stack} at version ${version}${last?.version === version ? ` (its last check: ${last.status})` : ''}; check drift first (\`crew drift ${r.stack}\`)`,
    );
  const mapping = mapDriftToParams(spec, last.drift);
  if (mapping.adopted.length === 0)
    return refuse(
      'refused',
      `nothing in the drift of stack ${r.stack} can be adopted into its spec: ${mapping.notAdopted
        .map((n) => `${n.address} ${n.attribute}: ${n.why}`)
        .join('; ')}. Revert restores the approved values instead.`,
    );
  const changes = mapping.adopted.map((a) => `${a.param} ${renderDriftValue(a.to)}`).join(', ');
  const submitted = await o.ops.submitGoal(
    {
      text: `Adopt drift on stack ${r.stack} (version ${version}, plan ${planId}): ${changes}`.slice(0, 4000),
      requestedBy: r.by,
      stack: r.stack,
      target: spec.target,
      ...(r.channel ? { channel: r.channel } : {}),
      drift: { action: 'adopt', version, set: mapping.set },
    },
    r.producer,
  );
  return submitted.ok ? ok({ plan: submitted.value, version, mapping }) : submitted;
}
