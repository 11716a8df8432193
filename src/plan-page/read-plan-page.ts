import type { PlanRecord, Transition } from '../plan/plan-record.js';
import type { PlanStore } from '../store/plan-store.js';

export type AuditRow = Awaited<ReturnType<PlanStore['auditLog']>>[number];

/** One resource change of the saved plan, as `terraform show -json` lists it. */
export interface PageChange {
  address: string;
  actions: string[];
}

/** Everything the plan page shows, read once per request. */
export interface PlanPageView {
  plan: PlanRecord;
  timeline: Transition[];
  audit: AuditRow[];
  /** Every resource change of the saved plan JSON (no-ops and reads left out), none cut. */
  changes: PageChange[];
}

export interface ReadPlanPageOptions {
  plans: Pick<PlanStore, 'history' | 'auditLog'>;
  /** Reads the saved plan JSON's resource changes (the artifact store, else the file). */
  readChanges: (plan: PlanRecord) => Promise<PageChange[]>;
}

export async function readPlanPage(plan: PlanRecord, o: ReadPlanPageOptions): Promise<PlanPageView> {
  const [timeline, audit, changes] = await Promise.all([
    o.plans.history(plan.id),
    o.plans.auditLog(plan.id),
    o.readChanges(plan),
  ]);
  return { plan, timeline, audit, changes };
}
