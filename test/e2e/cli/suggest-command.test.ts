import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonOf, makeCrewEnv, type CrewEnv } from '../../support/crew-env.js';

// `crew suggest` as a user runs it: the real CLI on the sandbox target, a private redis. One
// case: the list, then `--plan <n>` submitting the weekend schedule as a normal plan whose
// Sentinel cost diff is minus the saving the list showed.

const STACK = 'suggest-cli';
let t: CrewEnv;
beforeAll(async () => {
  t = await makeCrewEnv({ CREW_APPROVERS: 'bob', CREW_TZ: 'UTC' });
  const planned = await t.crew([
    'plan',
    `private Ollama on g4dn.xlarge in us-east-1, keep it running through the weekend, budget $2000/month, stack ${STACK}`,
    '--as',
    'alice',
    '--json',
  ]);
  if (planned.code !== 0) throw new Error(planned.stderr);
  const approved = await t.crew(['approve', jsonOf<{ id: string }>(planned).id, '--as', 'bob', '--json']);
  if (approved.code !== 0) throw new Error(approved.stderr);
}, 400_000);
afterAll(async () => t?.close());

interface ListOut {
  suggestions: Array<{ n: number; stack: string; kind: string; monthlyUsd: number; title: string }>;
}

describe('crew suggest', () => {
  it('lists the priced weekend schedule, and --plan submits it for review with cost diff −X', async () => {
    const listed = await t.crew(['suggest', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    const weekend = jsonOf<ListOut>(listed).suggestions.find((s) => s.stack === STACK && s.kind === 'weekend-schedule');
    if (!weekend) throw new Error(listed.stdout);
    const planned = await t.crew(['suggest', '--plan', String(weekend.n), '--as', 'alice', '--json']);
    expect(planned.code, planned.stderr).toBe(0);
    const plan = jsonOf<{ state: string; validation?: { cost: { diffMonthlyUsd: number } } }>(planned);
    expect(plan.state).toBe('WAIT_FOR_APPROVE');
    expect(plan.validation?.cost.diffMonthlyUsd).toBe(-weekend.monthlyUsd);
  }, 300_000);
});
