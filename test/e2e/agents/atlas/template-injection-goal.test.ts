import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireDebianBinary, startBind, type TestBind } from '../../../support/bind-server.js';
import { jsonOf, makeCrewEnv, type CrewEnv } from '../../../support/crew-env.js';
import {
  findSecret,
  makeMarkers,
  quotelessPipePayload,
  QUOTELESS_TSIG_FILE_PAYLOAD,
  type Markers,
} from '../../../support/evaluation-payloads.js';
import { submitPlan } from '../../../support/slack-flow.js';
import { ALICE, CAROL, startHarness, type SlackHarness } from '../../../support/slack-harness.js';
import { restoreEnv } from '../../../support/restore-env.js';

// The goal, as any requester would send it: a TXT value that runs a command (or reads
// the TSIG key) when Ansible evaluates it. It must end BLOCKED before Forge runs anything.

let bind: TestBind;
let markers: Markers;
let t: CrewEnv;
beforeAll(async () => {
  requireDebianBinary('ansible-playbook');
  bind = await startBind();
  markers = makeMarkers();
  // $HOME is where the quoteless payload would write its marker.
  t = await makeCrewEnv({ ...bind.env, HOME: markers.dir, CREW_APPROVERS: 'bob' });
});
afterAll(async () => {
  await t?.close();
  await bind?.stop();
  markers?.remove();
});

const REASON =
  /^the TXT value of inj\.local contains "\{\{": template markers \(\{\{, \{% and \{#\) are refused because Ansible would run them as code/;

describe('a goal with a template payload in a record value', { timeout: 180_000 }, () => {
  it('ends BLOCKED from the CLI with the reason, and nothing ran', async () => {
    const runs = [];
    for (const value of [quotelessPipePayload('cli'), QUOTELESS_TSIG_FILE_PAYLOAD]) {
      runs.push(await t.crew(['plan', `Add TXT record inj.local "${value}"`, '--as', 'carol', '--json']));
    }
    expect(markers.created()).toEqual([]);
    expect(findSecret(bind.tsig.secret, [t.dataDir, markers.dir])).toEqual([]);
    for (const r of runs) {
      expect(r.code, r.stderr).toBe(2);
      const out = jsonOf<{ state: string; reason: string }>(r);
      expect(out.state).toBe('BLOCKED');
      expect(out.reason).toMatch(REASON);
    }
    expect(await bind.status('inj.local', 'TXT')).toBe('NXDOMAIN');
  });

  it('ends BLOCKED from a signed Slack /plan by someone who is not an approver, and nothing ran', async () => {
    const saved = { ...process.env };
    // The crew runs in this process here: the dns target and $HOME come from its environment.
    Object.assign(process.env, bind.env, { HOME: markers.dir });
    let h: SlackHarness | undefined;
    try {
      h = await startHarness('http', { env: { ...bind.env, HOME: markers.dir, CREW_APPROVERS: ALICE } });
      const { id } = await submitPlan(h, `Add TXT record inj.local "${quotelessPipePayload('slack')}"`, CAROL);
      const plan = await h.waitForState(id, ['BLOCKED', 'FAILED', 'WAIT_FOR_APPROVE'], 60_000);
      expect(markers.created()).toEqual([]);
      expect(plan.state).toBe('BLOCKED');
      expect(JSON.stringify(plan)).toMatch(/the TXT value of inj\.local contains \\"\{\{\\"/);
    } finally {
      await h?.close();
      restoreEnv(saved);
    }
  });
});
