import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCrewApi, type CrewApi } from '../../support/api-client.js';
import { requireDebianBinary, startBind, type TestBind } from '../../support/bind-server.js';
import { makeCrewEnv, type CrewEnv } from '../../support/crew-env.js';
import { waitFor } from '../../support/wait-for.js';

// The handoff's success criterion, word for word: POST /api/v1/intent with
// {"nl": "Add DNS record test.local to 192.168.1.100"} → the plan waits for approval → another
// identity approves through the API → a real named answers 192.168.1.100 to dig.

const TOKENS = { alice: 'alice-seed-token-51c2', bob: 'bob-seed-token-7d90' };
let bind: TestBind;
let t: CrewEnv;
let api: CrewApi;

beforeAll(async () => {
  requireDebianBinary('ansible-playbook');
  bind = await startBind();
  t = await makeCrewEnv(bind.env);
  api = await startCrewApi(t.env, TOKENS);
}, 200_000);
afterAll(async () => {
  api?.process.kill('SIGTERM');
  await api?.process.done;
  await t?.close();
  await bind?.stop();
});

describe('the seeds criterion over HTTP on a real BIND', () => {
  it('intent → WAIT_FOR_APPROVE → approved by another identity → dig test.local answers 192.168.1.100', async () => {
    const submitted = await api.call('alice', 'POST', '/intent', { nl: 'Add DNS record test.local to 192.168.1.100' });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(202);
    const self = `/plans/${submitted.body.planId as string}`;

    const waiting = await waitFor(
      async () => {
        const r = await api.call('alice', 'GET', self);
        return ['WAIT_FOR_APPROVE', 'BLOCKED', 'FAILED'].includes(r.body.state as string) ? r.body : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 250, what: 'the plan to wait for approval' },
    );
    expect(waiting).toMatchObject({
      state: 'WAIT_FOR_APPROVE',
      requestedBy: 'alice',
      planSpec: { blueprint: 'dns-record', params: { name: 'test', type: 'A', value: '192.168.1.100', action: 'add' } },
    });
    // Planning changed nothing on the server.
    expect(await bind.status('test.local', 'A')).toBe('NXDOMAIN');

    const planSha256 = waiting.planSha256 as string;
    const approved = await api.call('bob', 'POST', `${self}/approve`, { planSha256 });
    expect(approved.status, JSON.stringify(approved.body)).toBe(202);

    const done = await waitFor(
      async () => {
        const r = await api.call('bob', 'GET', self);
        return ['DONE', 'FAILED', 'ROLLED_BACK'].includes(r.body.state as string) ? r.body : undefined;
      },
      { timeoutMs: 180_000, intervalMs: 500, what: 'the plan to be applied' },
    );
    expect(done).toMatchObject({ state: 'DONE', approvedBy: 'bob', planSha256 });
    expect((await bind.dig(['test.local', 'A', '+short'])).trim()).toBe('192.168.1.100');
  }, 360_000);
});
