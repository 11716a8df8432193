import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForPlan } from '../../../../src/conductor/wait-for-plan.js';
import type { CrewRuntime } from '../../../../src/runtime/start-crew.js';
import { startSandboxCrew, type SandboxCrew } from '../../../support/sandbox-crew.js';

// A crew with no BIND server (CREW_DNS_SERVER unset), as the quick start runs: a DNS goal is read
// and queued like any other, and its plan fails saying what to set, with nothing changed. It
// said "blueprint dns-record cannot be built here yet".

let t: SandboxCrew;
let crew: CrewRuntime;

beforeAll(async () => {
  t = await startSandboxCrew('crew-no-dns-');
  expect(t.config.dnsTarget).toBeUndefined();
  crew = t.crew;
});

afterAll(async () => t?.close());

describe('a DNS record on a crew without a DNS server', () => {
  it('fails the plan saying which settings it needs, and applies nothing', async () => {
    const r = await crew.ops.submitGoal(
      { text: 'add DNS record app.lab.local to 10.0.0.6', requestedBy: 'alice' },
      'test',
    );
    if (!r.ok) throw new Error(r.refusal);
    const plan = await waitForPlan(crew.plans, r.value.id, ['WAIT_FOR_APPROVE', 'BLOCKED', 'FAILED'], {
      timeoutMs: 30_000,
    });
    expect(plan.state).toBe('FAILED');
    expect(plan.failure).toMatch(
      /DNS records need a BIND server, and this crew has none: set CREW_DNS_SERVER and the CREW_DNS_TSIG_\* variables/,
    );
    expect(plan.failure).toContain('docs/dns.md');
    expect((await crew.plans.history(plan.id)).map((t) => t.to)).not.toContain('APPLYING');
    // Nothing recorded as applied on the stack.
    expect(await crew.stacks.version(plan.stack ?? '', 1)).toBeUndefined();
  });
});
