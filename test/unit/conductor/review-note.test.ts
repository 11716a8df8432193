import { describe, expect, it } from 'vitest';
import { makeArtifact } from '../../../src/bus/artifact-bus.js';
import type { ConductorContext } from '../../../src/conductor/conductor-context.js';
import { onBuildStatus } from '../../../src/conductor/on-build-progress.js';
import type { PlanRecord } from '../../../src/plan/plan-record.js';
import { planJson, planText } from '../../../src/plan/render-plan.js';

const NOTE = 'playbooks/k3s --check on 2 host(s): 1 change(s) would be made\n  would change: Start k3s (k3s-server-1)';

/** The Conductor as far as a saved plan's BuildStatus reaches it: the plan store. */
function rig(plan: Partial<PlanRecord>) {
  let record = { id: 'pl_1', goal: 'k3s', requestedBy: 'alice', createdAt: 'now', ...plan } as PlanRecord;
  const c = {
    options: {
      plans: {
        get: async () => record,
        patch: async (_id: string, p: Partial<PlanRecord>) => void (record = { ...record, ...p }),
        clearField: async (_id: string, field: keyof PlanRecord) => {
          const { [field]: _gone, ...rest } = record;
          record = rest as PlanRecord;
        },
      },
    },
  } as unknown as ConductorContext;
  const status = (detail: string) =>
    onBuildStatus(c, makeArtifact('BuildStatus', 'pl_1', { phase: 'plan', ok: true, detail }, { producer: 'forge' }));
  return { status, record: () => record };
}

describe("a saved plan's review note", () => {
  it("keeps what Forge said past the change counts for the review, and shows it in the plan's text and JSON", async () => {
    const r = rig({ state: 'IN_PROGRESS' });
    await r.status(`0 to add, 1 to change, 0 to replace, 0 to destroy\n${NOTE}`);
    expect(r.record().reviewNote).toBe(NOTE);
    expect(planText(r.record())).toContain(
      '  review:    playbooks/k3s --check on 2 host(s): 1 change(s) would be made\n               would change: Start k3s',
    );
    expect(planJson(r.record())).toMatchObject({ reviewNote: NOTE });

    // A re-plan without one clears it.
    await r.status('0 to add, 1 to change, 0 to replace, 0 to destroy');
    expect(r.record().reviewNote).toBeUndefined();
    expect(planJson(r.record())).not.toHaveProperty('reviewNote');
  });

  it('leaves an ended plan alone', async () => {
    const r = rig({ state: 'FAILED' });
    await r.status(`1 to add, 0 to change, 0 to replace, 0 to destroy\n${NOTE}`);
    expect(r.record().reviewNote).toBeUndefined();
  });
});
