import type { ChangeSummary } from '../../../contracts/artifacts.js';
import { CrewError } from '../../errors.js';
import { isRecord } from './sandbox-address.js';

/** Counts resource_changes by kind; `read` and `forget` are neither changes nor no-ops. */
export function summarizeChanges(planJson: unknown): ChangeSummary {
  if (!isRecord(planJson)) throw new CrewError('CREW_ERR_PLAN_JSON', 'plan JSON is not an object');
  const summary: ChangeSummary = { create: 0, update: 0, replace: 0, delete: 0, noop: 0 };
  const changes = Array.isArray(planJson.resource_changes) ? planJson.resource_changes : [];
  for (const rc of changes) {
    const actions =
      isRecord(rc) && isRecord(rc.change) && Array.isArray(rc.change.actions) ? rc.change.actions.join(',') : '';
    if (actions === 'create') summary.create += 1;
    else if (actions === 'update') summary.update += 1;
    else if (actions === 'delete') summary.delete += 1;
    else if (actions === 'no-op') summary.noop += 1;
    else if (actions === 'delete,create' || actions === 'create,delete') summary.replace += 1;
  }
  return summary;
}
