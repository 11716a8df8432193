import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ApplyResult } from '../../../contracts/index.js';
import { makeArtifact } from '../../bus/artifact-bus.js';
import type { ArtifactOn } from '../../bus/topic-map.js';
import { CrewError } from '../../errors.js';
import { sha256Hex } from '../../util/new-id.js';
import { applySavedPlan, type ApplyOutcome } from './apply-saved-plan.js';
import { explainFailure, tail } from './explain-failure.js';
import { FORGE, type ForgeContext } from './forge-context.js';
import { fetchRootConfig } from './root-config-artifact.js';
import { StackWorkspace } from './stack-workspace.js';

/**
 * An apply request: apply exactly the approved plan file (re-hashed first), once. A stale file
 * is re-checked (already applied before a crash, or the stack moved); a refused file or an
 * apply in doubt is answered as such, never as a failure that would roll back.
 */
export async function applyPlan(f: ForgeContext, a: ArtifactOn<'apply.request'>): Promise<void> {
  const req = a.payload;
  const result = (result: ApplyResult['result'], detail?: string, outputs: Record<string, unknown> = {}) =>
    f.options.bus.publish(
      'apply.result',
      makeArtifact(
        'ApplyResult',
        a.planId,
        { result, planSha256: req.planSha256, outputs, ...(detail ? { detail } : {}) },
        { producer: FORGE, cause: a },
      ),
    );
  const ws = new StackWorkspace(f.options.dataDir, req.stack);
  const spec = (await f.options.plans.get(a.planId))?.spec;
  if (!spec) {
    await result('APPLY_REFUSED', `plan ${a.planId} has no spec; nothing was applied`);
    return;
  }
  const runner = f.options.runners[spec.blueprint];
  if (!runner) {
    await result('APPLY_REFUSED', `blueprint ${spec.blueprint} cannot be applied here; nothing was applied`);
    return;
  }
  if ((await f.marker.applied(a.planId)) === req.planSha256) {
    await result('APPLY_DONE', 'applied earlier', await runner.outputs(spec, ws).catch(() => ({})));
    return;
  }
  // The root config the plan file was made from, as stored at plan time: this host writes it into
  // its workspace rather than rendering one again (a render here could differ: another crew
  // version, another clock for the weekend schedule's hold).
  const config = req.rootConfigSha256 ? await fetchRootConfig(f.artifacts, req.rootConfigSha256) : undefined;
  const found = config?.ok === false ? config : await findPlanFile(f, a.planId, req.planFile.path, req.planSha256, ws);
  if (!found.ok) {
    // Refused before Terraform runs: the stack is untouched, so there is nothing to roll back.
    await result('APPLY_REFUSED', `${found.reason}; nothing was applied`);
    return;
  }
  const planFile = found.path;
  const rootConfig = config?.ok ? { rootConfig: config.files } : {};
  // The rest of the change (proxmox: playbooks/k3s); its failure fails the apply, which rolls back.
  const finish = async (outputs: Record<string, unknown>): Promise<boolean> => {
    try {
      await runner.afterApply?.(spec, ws, outputs);
      return true;
    } catch (err) {
      await result('APPLY_FAILED', explainFailure(err), outputs);
      return false;
    }
  };
  let outcome: ApplyOutcome;
  try {
    outcome = await applySavedPlan(runner, spec, ws, planFile, rootConfig);
  } catch (err) {
    await result('APPLY_FAILED', explainFailure(err));
    return;
  }
  if ('stale' in outcome) {
    // Stale: either this very plan was applied before a crash, or the stack moved.
    const again = await runner.plan(spec, ws, { name: `${a.planId}-recheck`, planId: a.planId });
    if (!again.changes) {
      // The plan file was applied before a crash; what follows it in the change may not have run.
      const outputs = await runner.outputs(spec, ws);
      if (!(await finish(outputs))) return;
      await f.marker.markApplied(a.planId, req.planSha256);
      await result('APPLY_DONE', 'the stack already matches this plan', outputs);
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
  f.options.fault?.('forge:after-apply');
  // Terraform's apply printed them: no `terraform output` process after it.
  const outputs = outcome.outputs ?? (await runner.outputs(spec, ws));
  if (!(await finish(outputs))) return;
  await f.marker.markApplied(a.planId, req.planSha256);
  await result('APPLY_DONE', undefined, outputs);
}

/**
 * The approved plan file on this host: the one Forge saved here, else the same bytes from the
 * artifact store (a Forge with another data dir planned it), written into this workspace.
 * Refused, with the reason, when neither holds the approved sha256 or the stored bytes are corrupt.
 */
async function findPlanFile(
  f: ForgeContext,
  planId: string,
  path: string,
  sha256: string,
  ws: StackWorkspace,
): Promise<{ ok: true; path: string } | { ok: false; reason: string }> {
  const missing = `the plan file ${path} is missing or is not the approved one (sha256 ${sha256.slice(0, 12)})`;
  const local = await readFile(path).catch(() => undefined);
  if (local) return sha256Hex(local) === sha256 ? { ok: true, path } : { ok: false, reason: missing };
  let stored: Buffer | undefined;
  try {
    stored = await f.artifacts.get(sha256);
  } catch (err) {
    if (err instanceof CrewError && err.code === 'CREW_ERR_ARTIFACT') return { ok: false, reason: err.message };
    throw err;
  }
  if (!stored) return { ok: false, reason: missing };
  const copy = ws.planFile(`${planId}-${sha256.slice(0, 12)}`);
  await mkdir(dirname(copy), { recursive: true });
  await writeFile(copy, stored);
  return { ok: true, path: copy };
}
