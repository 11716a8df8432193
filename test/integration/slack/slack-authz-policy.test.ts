import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ValidationResult } from '../../../contracts/index.js';
import { makeArtifact } from '../../../src/bus/artifact-bus.js';
import { ACTIONS, encodeButton } from '../../../src/slack/render/button-value.js';
import { makeDnsSpec } from '../../support/make-dns-spec.js';
import { ephemeralsTo } from '../../support/slack-flow.js';
import { ALICE, BOB, CAROL, REVIEW, startHarness, type SlackHarness } from '../../support/slack-harness.js';
import { blockActionsPayload } from '../../support/slack-stand-in.js';

// The Cedar policy the crew runs with is the one Slack's buttons obey: a contractor's Approve
// on an aws plan is refused with the deciding policy's id, ephemerally and in the audit.

const POLICY = `@id("approvers-decide")
permit (principal in Group::"approvers", action in [Action::"approve", Action::"reject"], resource);

@id("four-eyes")
forbid (principal, action == Action::"approve", resource)
when { resource has requestedBy && principal == resource.requestedBy };

@id("contractors-not-on-aws")
forbid (principal in Group::"contractors", action == Action::"approve", resource)
when { resource.target == "aws" };
`;

const SHA = 'd'.repeat(64);
let h: SlackHarness;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crew-slack-authz-'));
  const file = join(dir, 'crew.cedar');
  writeFileSync(file, POLICY);
  h = await startHarness('socket', {
    env: { CREW_AUTHZ_POLICY: file, CREW_AUTHZ_GROUPS: `contractors:${BOB}`, CREW_APPROVERS: `${BOB},${CAROL}` },
  });
}, 60_000);
afterAll(async () => {
  await h?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** An aws plan that adds one thing, through Forge's plan and Sentinel's PASS to its review. */
async function awsPlan(): Promise<string> {
  const crew = h.server.crew;
  const id = `p-${randomBytes(4).toString('hex')}`;
  const stack = `s-${id}`;
  await crew.plans.create({ id, goal: 'g', requestedBy: ALICE, stack, channel: REVIEW });
  expect(await crew.lock.acquire(stack, id, async () => false)).toEqual({ ok: true });
  await crew.plans.advance(id, 'PLAN_SPEC', 'atlas', 'spec', { spec: { ...makeDnsSpec(), target: 'aws', stack } });
  await crew.plans.advance(id, 'FORGE_ACK', 'forge', 'ack');
  await crew.plans.advance(id, 'PLAN_READY', 'forge', 'planned', {
    planSha256: SHA,
    planFile: { path: `/nonexistent/${id}.tfplan`, sha256: SHA },
    summary: { create: 1, update: 0, replace: 0, delete: 0, noop: 0 },
  });
  const validation: ValidationResult = {
    verdict: 'PASS',
    findings: [],
    cost: { monthlyUsd: 10, previousMonthlyUsd: 0, diffMonthlyUsd: 10, resources: [], unpriced: [] },
    budget: { monthlyUsd: null, spentUsd: 0, forecastUsd: 0, ratio: null, brakeRatio: 0.8, brake: false },
    planSha256: SHA,
  };
  await crew.bus.publish(
    'validate.result',
    makeArtifact('ValidationResult', id, validation, { producer: 'sentinel', cause: `v:${id}` }),
  );
  await h.waitForState(id, ['WAIT_FOR_APPROVE']);
  return id;
}

const approveClick = (user: string, id: string) =>
  h.action(
    blockActionsPayload({
      user,
      actionId: ACTIONS.approve,
      value: encodeButton({ planId: id, sha: SHA }),
      channel: REVIEW,
      messageTs: '1700000000.000200',
      responseUrl: h.standIn.responseUrl(),
    }),
  );

describe('a Cedar policy in Slack', () => {
  it("refuses a contractor's Approve on aws with the policy id; another approver's click goes through", async () => {
    const id = await awsPlan();
    await approveClick(BOB, id);
    const refusal = await h.standIn.waitFor(
      () => ephemeralsTo(h, BOB).find((t) => t.includes('contractors-not-on-aws')),
      "BOB's refusal",
    );
    expect(refusal).toContain(`may not approve plan ${id}: denied by policy contractors-not-on-aws`);
    const audit = await h.server.crew.plans.auditLog(id);
    expect(audit.some((a) => a.refusal?.includes('contractors-not-on-aws'))).toBe(true);
    expect((await h.plan(id))?.state).toBe('WAIT_FOR_APPROVE');
    expect(await h.server.crew.plans.approvals(id)).toEqual([]);

    await approveClick(CAROL, id);
    const moved = await h.waitForState(id, ['APPLYING', 'FAILED', 'DONE']);
    expect(moved.approvedBy?.toLowerCase()).toBe(CAROL.toLowerCase());
  });
});
