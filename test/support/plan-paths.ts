import type { PlanState } from '../../src/plan/plan-states.js';

// The states an applied plan's history records, written out here rather than derived from the
// transition table: the tests that compare a history with these check the table too.

/** From DRAFTING to DONE, as the history's `to` fields list them. */
export const PATH_TO_DONE: readonly PlanState[] = [
  'PENDING',
  'IN_PROGRESS',
  'VALIDATING',
  'READY_FOR_APPLY',
  'WAIT_FOR_APPROVE',
  'APPLYING',
  'DONE',
];

/** Applied, then rolled back. */
export const PATH_TO_ROLLED_BACK: readonly PlanState[] = [...PATH_TO_DONE, 'ROLLBACK', 'ROLLED_BACK'];
