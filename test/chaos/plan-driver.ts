import { TERMINAL_STATES, type PlanState } from '../../src/plan/plan-states.js';
import type { CrewRuntime } from '../../src/runtime/start-crew.js';
import type { SeededRandom } from './seeded-random.js';

export interface TrackedPlan {
  index: number;
  stack: string;
  expected: 'DONE' | 'ROLLED_BACK';
  id?: string;
  state?: PlanState;
  /** Plan files approved so far (by sha256): a re-planned plan needs, and gets, a fresh approval. */
  approved: Set<string>;
  rollbackRequested: boolean;
}

export const REQUESTER = 'alice';
export const APPROVER = 'bob';
const PRODUCER = 'chaos-test';

/** Plays the people: submits the goals, approves each plan once, asks for the chosen rollbacks. */
export class PlanDriver {
  readonly plans: TrackedPlan[];
  /** Refusals and errors seen while driving, once each, for the failure report. */
  readonly notes = new Set<string>();

  constructor(
    private readonly crew: CrewRuntime,
    count: number,
    rollbacks: ReadonlySet<number>,
  ) {
    this.plans = Array.from({ length: count }, (_, index) => ({
      index,
      stack: `chaos-${String(index).padStart(2, '0')}`,
      expected: rollbacks.has(index) ? 'ROLLED_BACK' : 'DONE',
      approved: new Set<string>(),
      rollbackRequested: false,
    }));
  }

  /** Submits every goal, a random 0–400 ms apart, so submissions overlap the chaos too. */
  async submitAll(rng: SeededRandom): Promise<void> {
    for (const p of this.plans) {
      const r = await this.crew.ops.submitGoal(
        { text: `private Ollama on spot g4dn.xlarge, stack ${p.stack}`, requestedBy: REQUESTER },
        PRODUCER,
      );
      if (!r.ok) throw new Error(`goal for ${p.stack} refused: ${r.refusal}`);
      p.id = r.value.id;
      await new Promise((resolve) => setTimeout(resolve, rng.int(0, 400)));
    }
  }

  /** One pass over every plan: refresh its state, approve it or roll it back when due. */
  async poll(): Promise<void> {
    for (const p of this.plans) {
      if (!p.id) continue;
      try {
        await this.step(p, p.id);
      } catch (err) {
        this.notes.add(`${p.stack} ${p.id}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  count(predicate: (p: TrackedPlan) => boolean): number {
    return this.plans.filter(predicate).length;
  }

  /** Resting for good: terminal, or DONE when no rollback is wanted. */
  isSettled(p: TrackedPlan): boolean {
    return p.state !== undefined && (TERMINAL_STATES.has(p.state) || (p.state === 'DONE' && p.expected === 'DONE'));
  }

  settled(): boolean {
    return this.plans.every((p) => this.isSettled(p));
  }

  private async step(p: TrackedPlan, id: string): Promise<void> {
    const { ops, plans } = this.crew;
    const record = await plans.get(id);
    p.state = record?.state;
    const sha = record?.planSha256 ?? '';
    if (p.state === 'WAIT_FOR_APPROVE' && !p.approved.has(sha)) {
      const r = await ops.decide(id, 'approve', APPROVER, PRODUCER);
      if (r.ok) p.approved.add(sha);
      else this.notes.add(`${p.stack} ${id}: approval refused: ${r.refusal}`);
      if (r.ok && p.approved.size > 1)
        this.notes.add(`${p.stack} ${id}: approved again after a re-plan (plan file ${sha.slice(0, 12)})`);
    }
    if (p.state === 'DONE' && p.expected === 'ROLLED_BACK' && !p.rollbackRequested) {
      const r = await ops.requestRollback(id, 'carol', 'rolled back under chaos');
      if (r.ok) p.rollbackRequested = true;
      else this.notes.add(`${p.stack} ${id}: rollback refused: ${r.refusal}`);
    }
  }
}
