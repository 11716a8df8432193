import type { Redis } from 'ioredis';
import type { PlanSpec } from '../../../contracts/index.js';
import { findStackOccupant } from '../../conductor/find-stack-occupant.js';
import { errorMessage } from '../../errors.js';
import { mayHoldStack } from '../../plan/plan-states.js';
import type { ArtifactStore } from '../../store/artifact-store.js';
import type { PlanStore } from '../../store/plan-store.js';
import { DRIFT_HOLDER_PREFIX, StackLock } from '../../store/stack-lock.js';
import type { StackStore } from '../../store/stack-store.js';
import type { PlanRequest } from './change-runner.js';
import { findDrift } from './drift-find-attributes.js';
import { splitStackOwned } from './drift-owned-by-stack.js';
import { splitScheduleOwned } from './drift-schedule-owned.js';
import type { DriftStore } from '../../store/drift-store.js';
import type { StackDriftResult } from '../../store/drift-types.js';
import { StackWorkspace } from './stack-workspace.js';
import type { RefreshPlan } from './terraform-change-runner.js';

/** What can run a refresh-only plan of an applied stack (Forge's Terraform runner). */
export interface RefreshPlanner {
  refreshPlan(spec: PlanSpec, ws: StackWorkspace, request: PlanRequest): Promise<RefreshPlan>;
}

export interface DriftCheckOptions {
  redis: Redis;
  prefix?: string;
  plans: PlanStore;
  stacks: StackStore;
  artifacts: ArtifactStore;
  store: DriftStore;
  dataDir: string;
  /** The refresh planner for a spec's blueprint; undefined when drift is not checked for it. */
  plannerFor: (spec: PlanSpec) => RefreshPlanner | undefined;
  now?: () => Date;
  /** The drift check's lease on the stack lock: it lapses this long after a check dies (default 60 s). */
  leaseMs?: number;
  /** Test hook: kills the process at a named point (CREW_FAULT_KILL_AT). */
  fault?: (point: string) => void;
}

const DEFAULT_LEASE_MS = 60_000;

/** The approved plan JSON of the applied version, from the artifact store (undefined when gone). */
async function approvedPlanJson(o: DriftCheckOptions, planId: string): Promise<unknown> {
  const plan = await o.plans.get(planId);
  const sha = plan?.planJson?.sha256;
  const bytes = sha ? await o.artifacts.get(sha) : undefined;
  return bytes ? (JSON.parse(bytes.toString('utf8')) as unknown) : undefined;
}

/**
 * Checks one applied stack for drift under its stack lock, as holder `drift:<runId>` with a
 * short lease renewed while it runs. A stack a plan holds is skipped (never checked during a
 * plan or apply), and a plan that arrives meanwhile queues until the check ends.
 */
export async function checkStackDrift(o: DriftCheckOptions, stack: string, runId: string): Promise<StackDriftResult> {
  const now = o.now ?? (() => new Date());
  const base = { stack, checkedAt: now().toISOString(), drift: [], owned: [] };
  const done = async (r: StackDriftResult): Promise<StackDriftResult> => {
    await o.store.recordResult(r);
    return r;
  };
  const current = await o.stacks.current(stack);
  if (!current?.spec) return { ...base, status: 'skipped', note: `stack ${stack} is not applied` };
  const spec = current.spec;
  const applied = { planId: current.planId, version: current.version };
  const snooze = await o.store.snoozedAt(stack, now());
  if (snooze) return { ...base, ...applied, status: 'snoozed', note: `snoozed until ${snooze.until} by ${snooze.by}` };
  const planner = o.plannerFor(spec);
  if (!planner)
    return {
      ...base,
      ...applied,
      status: 'skipped',
      note: `drift checks cover Terraform stacks; ${spec.blueprint} is not one`,
    };

  const leaseMs = o.leaseMs ?? DEFAULT_LEASE_MS;
  const lock = new StackLock({
    redis: o.redis,
    prefix: o.prefix ?? 'crew',
    ttlMs: leaseMs,
    findOccupant: findStackOccupant(o.plans),
  });
  const holder = `${DRIFT_HOLDER_PREFIX}${runId}`;
  const taken = await lock.acquire(stack, holder, async (h) => {
    const p = await o.plans.get(h);
    return !p || !mayHoldStack(p.state) || p.queuedBehind !== undefined;
  });
  if (!taken.ok)
    return done({
      ...base,
      ...applied,
      status: 'skipped',
      note: `stack ${stack} is locked by ${taken.holder.startsWith(DRIFT_HOLDER_PREFIX) ? 'another drift check' : `plan ${taken.holder}`}; checked when it is free`,
    });
  const renew = setInterval(() => void lock.renew(stack, holder).catch(() => undefined), Math.max(1000, leaseMs / 3));
  try {
    o.fault?.('DRIFT_CHECK');
    const ws = new StackWorkspace(o.dataDir, stack);
    const refreshed = await planner.refreshPlan(spec, ws, { name: `drift-${runId}`, planId: current.planId });
    // The sandbox's resources have no remote to refresh from: its state is compared with the approved plan.
    const approved = spec.target === 'sandbox' ? await approvedPlanJson(o, current.planId) : undefined;
    const byStack = splitStackOwned(findDrift(refreshed.json, approved), refreshed.json);
    const { drift, owned } = splitScheduleOwned(byStack.drift, spec, now());
    return done({
      ...base,
      ...applied,
      status: drift.length ? 'drifted' : 'clean',
      drift,
      owned: [...byStack.owned, ...owned],
    });
  } catch (err) {
    return done({ ...base, ...applied, status: 'failed', note: `the drift check failed: ${errorMessage(err)}` });
  } finally {
    clearInterval(renew);
    await lock.release(stack, holder);
  }
}
