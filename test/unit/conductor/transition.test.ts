import { describe, expect, it } from 'vitest';
import {
  APPLY_PATH,
  PLAN_EVENTS,
  PLAN_STATES,
  TERMINAL_STATES,
  type PlanEvent,
  type PlanState,
} from '../../../src/plan/plan-states.js';
import { transition } from '../../../src/plan/transition.js';
import { PATH_TO_DONE } from '../../support/plan-paths.js';

// The design's diagram, written out independently of the table under test.
const EXPECTED: Array<[PlanState, PlanEvent, PlanState]> = [
  ['DRAFTING', 'PLAN_SPEC', 'PENDING'],
  ['DRAFTING', 'DESIGN_BLOCKED', 'BLOCKED'],
  ['DRAFTING', 'STACK_LOCKED', 'BLOCKED'],
  ['PENDING', 'FORGE_ACK', 'IN_PROGRESS'],
  ['PENDING', 'BUILD_FAILED', 'FAILED'],
  ['PENDING', 'STACK_MOVED', 'DRAFTING'],
  ['IN_PROGRESS', 'PLAN_READY', 'VALIDATING'],
  ['IN_PROGRESS', 'BUILD_FAILED', 'FAILED'],
  ['VALIDATING', 'VALIDATION_PASS', 'READY_FOR_APPLY'],
  ['VALIDATING', 'VALIDATION_FAIL', 'BLOCKED'],
  ['READY_FOR_APPLY', 'REVIEW_POSTED', 'WAIT_FOR_APPROVE'],
  ['WAIT_FOR_APPROVE', 'APPROVE', 'APPLYING'],
  ['WAIT_FOR_APPROVE', 'REJECT', 'REJECTED'],
  ['WAIT_FOR_APPROVE', 'EXPIRE', 'EXPIRED'],
  ['APPLYING', 'APPLY_DONE', 'DONE'],
  ['APPLYING', 'APPLY_FAILED', 'ROLLBACK'],
  ['APPLYING', 'APPLY_STALE', 'IN_PROGRESS'],
  ['APPLYING', 'APPLY_REFUSED', 'FAILED'],
  ['APPLYING', 'APPLY_IN_DOUBT', 'FAILED'],
  ['APPLYING', 'DEAD_LETTER', 'ROLLBACK'],
  ['DONE', 'ROLLBACK_REQUESTED', 'ROLLBACK'],
  ['ROLLBACK', 'ROLLBACK_DONE', 'ROLLED_BACK'],
  ['ROLLBACK', 'ROLLBACK_FAILED', 'FAILED'],
  ['ROLLBACK', 'DEAD_LETTER', 'FAILED'],
  ...(['DRAFTING', 'PENDING', 'IN_PROGRESS', 'VALIDATING', 'READY_FOR_APPLY', 'WAIT_FOR_APPROVE'] as const).flatMap(
    (s): Array<[PlanState, PlanEvent, PlanState]> => [
      [s, 'DEAD_LETTER', 'FAILED'],
      [s, 'CANCEL', 'FAILED'],
    ],
  ),
];

const key = (s: string, e: string) => `${s}×${e}`;
const expected = new Map(EXPECTED.map(([s, e, t]) => [key(s, e), t]));

describe('transition table', () => {
  for (const state of PLAN_STATES) {
    for (const event of PLAN_EVENTS) {
      const want = expected.get(key(state, event));
      it(`${state} × ${event} → ${want ?? 'refused'}`, () => {
        const r = transition(state, event);
        if (want) {
          expect(r).toEqual({ ok: true, to: want });
        } else {
          expect(r.ok).toBe(false);
          expect(!r.ok && r.refusal).toMatch(new RegExp(`^plan is ${state}: `));
        }
      });
    }
  }

  it('terminal states accept no event at all', () => {
    for (const s of TERMINAL_STATES) for (const e of PLAN_EVENTS) expect(transition(s, e).ok).toBe(false);
  });

  it('explains refusals a user can cause in their words', () => {
    expect(transition('REJECTED', 'APPROVE')).toEqual({
      ok: false,
      refusal: 'plan is REJECTED: only a plan waiting for approval can be approved',
    });
    expect(transition('WAIT_FOR_APPROVE', 'ROLLBACK_REQUESTED')).toEqual({
      ok: false,
      refusal: 'plan is WAIT_FOR_APPROVE: only an applied plan (DONE) can be rolled back',
    });
  });

  it('every state is reachable from DRAFTING', () => {
    const seen = new Set<PlanState>(['DRAFTING']);
    const queue: PlanState[] = ['DRAFTING'];
    while (queue.length) {
      const s = queue.shift()!;
      for (const e of PLAN_EVENTS) {
        const r = transition(s, e);
        if (r.ok && !seen.has(r.to)) {
          seen.add(r.to);
          queue.push(r.to);
        }
      }
    }
    expect([...seen].sort()).toEqual([...PLAN_STATES].sort());
  });
});

describe('APPLY_PATH', () => {
  it('takes a plan from DRAFTING through every step of the pipeline to DONE', () => {
    const visited: PlanState[] = ['DRAFTING'];
    for (const event of APPLY_PATH) {
      const r = transition(visited.at(-1)!, event);
      if (!r.ok) throw new Error(r.refusal);
      visited.push(r.to);
    }
    expect(visited).toEqual(['DRAFTING', ...PATH_TO_DONE]);
  });
});
