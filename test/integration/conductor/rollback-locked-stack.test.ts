import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForPlan } from '../../../src/conductor/wait-for-plan.js';
import type { CrewRuntime } from '../../../src/runtime/start-crew.js';
import { startSandboxCrew, type SandboxCrew } from '../../support/sandbox-crew.js';
import { requireTerraform } from '../../support/terraform-harness.js';

// A rollback refused because another plan holds the stack says which plan, in which state, and
// what frees the stack (it said only "try again when it finishes", also of a plan whose CLI was
// killed while it drafted: then `crew wait <id>` runs it, or an admin unlocks the stack).

let t: SandboxCrew;
let crew: CrewRuntime;

async function planned(text: string): Promise<string> {
  const r = await crew.ops.submitGoal({ text, requestedBy: 'alice', target: 'sandbox' }, 'test');
  if (!r.ok) throw new Error(r.refusal);
  const p = await waitForPlan(crew.plans, r.value.id, ['WAIT_FOR_APPROVE', 'BLOCKED', 'FAILED'], { timeoutMs: 60_000 });
  expect(p.state, p.failure).toBe('WAIT_FOR_APPROVE');
  return p.id;
}

beforeAll(async () => {
  requireTerraform();
  t = await startSandboxCrew('crew-locked-');
  crew = t.crew;
});

afterAll(async () => t?.close());

describe('a rollback of a stack another plan holds', () => {
  it('names the holder, its state and what frees the stack', async () => {
    const first = await planned('private Ollama on spot g4dn.xlarge, stack lk-one');
    const approved = await crew.ops.decide(first, 'approve', 'bob', 'test');
    if (!approved.ok) throw new Error(approved.refusal);
    expect((await waitForPlan(crew.plans, first, ['DONE', 'FAILED'], { timeoutMs: 60_000 })).state).toBe('DONE');

    const second = await planned('scale lk-one to 2');
    const waiting = await crew.ops.requestRollback(first, 'alice');
    expect(waiting.ok).toBe(false);
    if (waiting.ok) return;
    expect(waiting.refusal).toBe(
      `stack lk-one is locked by plan ${second} (WAIT_FOR_APPROVE): reject it, or try again once it is decided`,
    );
  });
});
