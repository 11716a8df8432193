import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { makeArtifact } from '../../bus/artifact-bus.js';
import type { ArtifactOn } from '../../bus/topic-map.js';
import { TERMINAL_STATES, type PlanState } from '../../plan/plan-states.js';
import type { BuiltPlan } from './change-runner.js';
import { explainFailure } from './explain-failure.js';
import { FORGE, type ForgeContext } from './forge-context.js';
import { encodeRootConfig } from './root-config-artifact.js';
import { StackWorkspace } from './stack-workspace.js';

/** A build request: plan to a saved file (stopped if the plan is cancelled meanwhile) and ask Sentinel. */
export async function buildPlan(f: ForgeContext, a: ArtifactOn<'build.request'>): Promise<void> {
  const spec = a.payload;
  const current = await f.options.plans.get(a.planId);
  if (!current || TERMINAL_STATES.has(current.state)) return; // cancelled or ended meanwhile: nothing to build
  await f.options.bus.publish(
    'build.status',
    makeArtifact(
      'BuildStatus',
      a.planId,
      { phase: 'ack', ok: true, detail: `building ${spec.stack}` },
      { producer: FORGE, cause: a },
    ),
  );
  const ws = new StackWorkspace(f.options.dataDir, spec.stack);
  const started = Date.now();
  // Cancellation (`crew unlock`) ends the plan; stop its Terraform rather than let it run on.
  // Terraform does not wait for the subscription (a connection of its own): the read that
  // follows it still stops a plan cancelled in between.
  const cancel = new AbortController();
  const watching = watchForEnd(f, a.planId, cancel);
  let built: BuiltPlan;
  try {
    // One file set per delivery: a redelivered build never overwrites the file under review
    // (its ValidateRequest has the same id as the first one's, so only the first one counts).
    built = await f.runnerFor(spec).plan(spec, ws, {
      name: `${a.planId}-${a.id.slice(2, 10)}-${randomBytes(3).toString('hex')}`,
      planId: a.planId,
      signal: cancel.signal,
    });
  } catch (err) {
    const detail = cancel.signal.aborted
      ? `cancelled: the plan was cancelled while Terraform was planning; its processes were stopped`
      : explainFailure(err);
    await f.options.bus.publish(
      'build.status',
      makeArtifact(
        'BuildStatus',
        a.planId,
        { phase: 'plan', ok: false, detail },
        { producer: FORGE, cause: a, salt: 'plan' },
      ),
    );
    return;
  } finally {
    await (
      await watching
    )();
  }
  // In the artifact store: any Forge can then apply exactly these bytes, from exactly this root
  // config, and any Sentinel judge this JSON.
  // The three are independent: stored together, one wait instead of three.
  // The runner's bytes when it kept them (the files are not read again).
  const bytesOf = (file: 'planFile' | 'planJson') => built.bytes?.[file] ?? readFile(built[file].path);
  const [, , rootConfigSha256] = await Promise.all([
    Promise.resolve(bytesOf('planFile')).then((bytes) => f.artifacts.put('plan-file', a.planId, bytes)),
    Promise.resolve(bytesOf('planJson')).then((bytes) => f.artifacts.put('plan-json', a.planId, bytes)),
    built.rootConfig ? f.artifacts.put('rendered-config', a.planId, encodeRootConfig(built.rootConfig)) : undefined,
  ]);
  const { summary } = built;
  // Only once every artifact is stored: the report and the request go out together.
  const reported = f.options.bus.publish(
    'build.status',
    makeArtifact(
      'BuildStatus',
      a.planId,
      {
        phase: 'plan',
        ok: true,
        detail:
          `${summary.create} to add, ${summary.update} to change, ${summary.replace} to replace, ${summary.delete} to destroy` +
          (built.review ? `\n${built.review}` : ''),
        durationMs: Date.now() - started,
      },
      { producer: FORGE, cause: a, salt: 'plan' },
    ),
  );
  const requested = f.options.bus.publish(
    'validate.pending',
    makeArtifact(
      'ValidateRequest',
      a.planId,
      {
        stack: spec.stack,
        planFile: built.planFile,
        planJson: built.planJson,
        summary,
        ...(rootConfigSha256 ? { rootConfigSha256 } : {}),
      },
      { producer: FORGE, cause: a },
    ),
  );
  await Promise.all([reported, requested]);
}

/** Without a notification (one lost while reconnecting), the plan is read again after this long. */
const FALLBACK_READ_MS = 10_000;

/**
 * Aborts `cancel` once the plan has ended: woken by the plan's change notifications (a read
 * of its state each), with a slow read as a safety net. Resolves once watching, with a stop.
 */
async function watchForEnd(f: ForgeContext, planId: string, cancel: AbortController): Promise<() => Promise<void>> {
  // The state alone: a change notification costs one field's read, not the whole record's; a
  // move to a state that does not end the plan costs none.
  const check = (movedTo?: PlanState) => {
    if (movedTo && !TERMINAL_STATES.has(movedTo)) return;
    void f.options.plans.state(planId).then(
      (state) => {
        if (state && TERMINAL_STATES.has(state)) cancel.abort();
      },
      () => undefined,
    );
  };
  const fallback = setInterval(() => check(), FALLBACK_READ_MS);
  const stop = await f.options.plans.watch(planId, check).catch(() => async () => undefined);
  check(); // a cancellation between the caller's read and the subscription
  return async () => {
    clearInterval(fallback);
    await stop();
  };
}
