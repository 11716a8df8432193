import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Redis } from 'ioredis';
import type { ApplyResult, PlanSpec } from '../../../contracts/index.js';
import { makeArtifact, type ArtifactBus } from '../../bus/artifact-bus.js';
import { TERMINAL_STATES } from '../../plan/plan-states.js';
import type { Logger } from '../../log/create-logger.js';
import { redactText } from '../../log/redact-text.js';
import { AppliedMarkerStore } from '../../store/applied-marker-store.js';
import type { PlanStore } from '../../store/plan-store.js';
import type { StackStore } from '../../store/stack-store.js';
import { sha256Hex } from '../../util/new-id.js';
import { applySavedPlan, type ApplyOutcome } from './apply-saved-plan.js';
import type { BuiltPlan, ChangeRunner, ChangeRunners } from './change-runner.js';
import { StackWorkspace } from './stack-workspace.js';
import { SubprocessError } from './subprocess-error.js';
import { errorMessage } from '../../errors.js';

export interface ForgeAgentOptions {
  bus: ArtifactBus;
  plans: PlanStore;
  stacks: StackStore;
  redis: Redis;
  prefix?: string;
  logger: Logger;
  dataDir: string;
  /** How each blueprint is planned and applied. */
  runners: ChangeRunners;
  now?: () => Date;
  /** Test hook: called at named points so a test can kill the process there. */
  fault?: (point: string) => void;
}

const P = 'forge';

function tail(text: string, max = 1500): string {
  const t = redactText(text.trim());
  return t.length > max ? `…${t.slice(-max)}` : t;
}

function explain(err: unknown): string {
  if (err instanceof SubprocessError && err.stderr) return tail(`${err.message}\n${err.stderr}`);
  return tail(errorMessage(err));
}

/** Forge on the bus: builds plans, applies exactly the approved plan file, rolls back. */
export function registerForge(o: ForgeAgentOptions): void {
  const now = o.now ?? (() => new Date());
  const marker = new AppliedMarkerStore({ redis: o.redis, prefix: o.prefix ?? 'crew' });
  const runnerFor = (spec: PlanSpec): ChangeRunner => {
    const r = o.runners[spec.blueprint];
    if (!r) throw new Error(`blueprint ${spec.blueprint} cannot be built here yet`);
    return r;
  };

  o.bus.consume('build.request', P, async (a) => {
    const spec = a.payload;
    const current = await o.plans.get(a.planId);
    if (!current || TERMINAL_STATES.has(current.state)) return; // cancelled or ended meanwhile: nothing to build
    await o.bus.publish(
      'build.status',
      makeArtifact(
        'BuildStatus',
        a.planId,
        { phase: 'ack', ok: true, detail: `building ${spec.stack}` },
        { producer: P, cause: a },
      ),
    );
    const ws = new StackWorkspace(o.dataDir, spec.stack);
    const started = Date.now();
    // Cancellation (`crew unlock`) ends the plan; stop its Terraform rather than let it run on.
    const cancel = new AbortController();
    const watch = setInterval(() => {
      void o.plans.get(a.planId).then(
        (p) => {
          if (p && TERMINAL_STATES.has(p.state)) cancel.abort();
        },
        () => undefined,
      );
    }, 1_000);
    let built: BuiltPlan;
    try {
      // One file set per delivery: a redelivered build never overwrites the file under review
      // (its ValidateRequest has the same id as the first one's, so only the first one counts).
      built = await runnerFor(spec).plan(spec, ws, {
        name: `${a.planId}-${a.id.slice(2, 10)}-${randomBytes(3).toString('hex')}`,
        signal: cancel.signal,
      });
    } catch (err) {
      const detail = cancel.signal.aborted
        ? `cancelled: the plan was cancelled while Terraform was planning; its processes were stopped`
        : explain(err);
      await o.bus.publish(
        'build.status',
        makeArtifact(
          'BuildStatus',
          a.planId,
          { phase: 'plan', ok: false, detail },
          { producer: P, cause: a, salt: 'plan' },
        ),
      );
      return;
    } finally {
      clearInterval(watch);
    }
    const { summary } = built;
    await o.bus.publish(
      'build.status',
      makeArtifact(
        'BuildStatus',
        a.planId,
        {
          phase: 'plan',
          ok: true,
          detail: `${summary.create} to add, ${summary.update} to change, ${summary.replace} to replace, ${summary.delete} to destroy`,
          durationMs: Date.now() - started,
        },
        { producer: P, cause: a, salt: 'plan' },
      ),
    );
    await o.bus.publish(
      'validate.pending',
      makeArtifact(
        'ValidateRequest',
        a.planId,
        { stack: spec.stack, planFile: built.planFile, planJson: built.planJson, summary },
        { producer: P, cause: a },
      ),
    );
  });

  o.bus.consume('apply.request', P, async (a) => {
    const req = a.payload;
    const result = (result: ApplyResult['result'], detail?: string, outputs: Record<string, unknown> = {}) =>
      o.bus.publish(
        'apply.result',
        makeArtifact(
          'ApplyResult',
          a.planId,
          { result, planSha256: req.planSha256, outputs, ...(detail ? { detail } : {}) },
          { producer: P, cause: a },
        ),
      );
    const ws = new StackWorkspace(o.dataDir, req.stack);
    const spec = (await o.plans.get(a.planId))?.spec;
    if (!spec) {
      await result('APPLY_REFUSED', `plan ${a.planId} has no spec; nothing was applied`);
      return;
    }
    const runner = o.runners[spec.blueprint];
    if (!runner) {
      await result('APPLY_REFUSED', `blueprint ${spec.blueprint} cannot be applied here; nothing was applied`);
      return;
    }
    if ((await marker.applied(a.planId)) === req.planSha256) {
      await result('APPLY_DONE', 'applied earlier', await runner.outputs(spec, ws).catch(() => ({})));
      return;
    }
    const bytes = await readFile(req.planFile.path).catch(() => undefined);
    if (!bytes || sha256Hex(bytes) !== req.planSha256) {
      // Refused before Terraform runs: the stack is untouched, so there is nothing to roll back.
      await result(
        'APPLY_REFUSED',
        `the plan file ${req.planFile.path} is missing or is not the approved one (sha256 ${req.planSha256.slice(0, 12)}); nothing was applied`,
      );
      return;
    }
    let outcome: ApplyOutcome;
    try {
      outcome = await applySavedPlan(runner, spec, ws, req.planFile.path);
    } catch (err) {
      await result('APPLY_FAILED', explain(err));
      return;
    }
    if ('stale' in outcome) {
      // Stale: either this very plan was applied before a crash, or the stack moved.
      const again = await runner.plan(spec, ws, { name: `${a.planId}-recheck` });
      if (!again.changes) {
        await marker.markApplied(a.planId, req.planSha256);
        await result('APPLY_DONE', 'the stack already matches this plan', await runner.outputs(spec, ws));
      } else {
        await result('APPLY_STALE', 'the stack changed since this plan was made');
      }
      return;
    }
    if ('inDoubt' in outcome) {
      // Never APPLY_FAILED: that rolls back, under an apply that may still be changing the stack.
      await result('APPLY_IN_DOUBT', tail(outcome.detail));
      return;
    }
    o.fault?.('forge:after-apply');
    await marker.markApplied(a.planId, req.planSha256);
    await result('APPLY_DONE', undefined, await runner.outputs(spec, ws));
  });

  o.bus.consume('rollback.request', P, async (a) => {
    const req = a.payload;
    const startedAt = now().toISOString();
    const ws = new StackWorkspace(o.dataDir, req.stack);
    const finish = (result: 'ROLLED_BACK' | 'ROLLBACK_FAILED', detail?: string) =>
      o.bus.publish(
        'rollback.result',
        makeArtifact(
          'RollbackResult',
          a.planId,
          { result, startedAt, finishedAt: now().toISOString(), ...(detail ? { detail } : {}) },
          { producer: P, cause: a },
        ),
      );
    try {
      let spec: PlanSpec | undefined;
      let destroy = false;
      if (req.toVersion > 0) {
        spec = (await o.stacks.version(req.stack, req.toVersion))?.spec ?? undefined;
      } else {
        spec = (await o.plans.get(a.planId))?.spec;
        destroy = true;
      }
      if (!spec) {
        await finish('ROLLBACK_FAILED', `version ${req.toVersion} of ${req.stack} is not recorded`);
        return;
      }
      const runner = runnerFor(spec);
      const built: BuiltPlan = await runner.plan(spec, ws, { name: `${a.planId}-rollback`, destroy });
      const outcome = built.changes
        ? await applySavedPlan(runner, spec, ws, built.planFile.path)
        : { applied: true as const };
      if (!('applied' in outcome)) {
        await finish('ROLLBACK_FAILED', tail(outcome.detail));
        return;
      }
      await finish('ROLLED_BACK', destroy ? 'destroyed' : `restored version ${req.toVersion}`);
    } catch (err) {
      await finish('ROLLBACK_FAILED', explain(err));
    }
  });
}
