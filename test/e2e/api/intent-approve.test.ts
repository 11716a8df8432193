import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCrewApi, type CrewApi } from '../../support/api-client.js';
import { makeCrewEnv, stateAddresses, type CrewEnv } from '../../support/crew-env.js';
import { waitFor } from '../../support/wait-for.js';

// The HTTP API as a client uses it: the real `crew api` process on a private Redis, the sandbox
// target with real Terraform, two identities holding their own bearer tokens.

const TOKENS = { alice: 'alice-e2e-token-4f1c', bob: 'bob-e2e-token-9a7e' };

let t: CrewEnv;
let crewApi: CrewApi;

beforeAll(async () => {
  t = await makeCrewEnv();
  crewApi = await startCrewApi(t.env, TOKENS);
}, 200_000);
afterAll(async () => {
  crewApi?.process.kill('SIGTERM');
  await crewApi?.process.done;
  await t.close();
});

const call = (who: keyof typeof TOKENS, method: string, path: string, body?: unknown) =>
  crewApi.call(who, method, path, body);

describe('crew api: intent → approve over HTTP on the sandbox target', () => {
  it('plans, refuses the requester four-eyes, applies when another identity approves the reviewed file', async () => {
    const goal = 'private Ollama on spot g4dn.xlarge in us-east-1, 1 instance, budget $300/month, stack api-e2e';
    const submitted = await call('alice', 'POST', '/intent', { nl: goal, target: 'sandbox' });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(202);
    const planId = submitted.body.planId as string;
    const self = `/plans/${planId}`;

    const waiting = await waitFor(
      async () => {
        const r = await call('alice', 'GET', self);
        return r.body.state === 'WAIT_FOR_APPROVE' ? r.body : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 250, what: `plan ${planId} to wait for approval` },
    );
    expect(waiting).toMatchObject({ id: planId, requestedBy: 'alice', stack: 'api-e2e' });
    const planSha256 = waiting.planSha256 as string;
    expect(planSha256).toMatch(/^[0-9a-f]{64}$/);

    const own = await call('alice', 'POST', `${self}/approve`, { planSha256 });
    expect(own.status).toBe(403);
    expect(own.type).toMatch(/^application\/problem\+json/);
    expect(own.body.detail).toMatch(/four-eyes/);

    const approved = await call('bob', 'POST', `${self}/approve`, { planSha256 });
    expect(approved.status, JSON.stringify(approved.body)).toBe(202);
    const decision = (approved.body.links as { decision: string }).decision.replace('/api/v1', '');
    const verdict = await waitFor(
      async () => {
        const r = await call('bob', 'GET', decision);
        return r.body.pending ? undefined : r.body;
      },
      { timeoutMs: 60_000, intervalMs: 100, what: 'the verdict on the approval' },
    );
    expect(verdict).toMatchObject({ accepted: true, by: 'bob' });

    const done = await waitFor(
      async () => {
        const r = await call('bob', 'GET', self);
        return ['DONE', 'FAILED', 'ROLLED_BACK'].includes(r.body.state as string) ? r.body : undefined;
      },
      { timeoutMs: 180_000, intervalMs: 500, what: `plan ${planId} to be applied` },
    );
    expect(done).toMatchObject({ state: 'DONE', approvedBy: 'bob', planSha256 });
    expect((await stateAddresses(t.dataDir, 'api-e2e')).length).toBeGreaterThan(5);

    const history = await call('bob', 'GET', `${self}/history`);
    expect(history.status).toBe(200);
  }, 360_000);
});

describe('crew api: shutdown', () => {
  it('stops on SIGTERM with exit 0, having logged no token', async () => {
    crewApi.process.kill('SIGTERM');
    const r = await crewApi.process.done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('HTTP API at http://127.0.0.1:');
    for (const token of Object.values(TOKENS)) expect(`${r.stdout}\n${r.stderr}`).not.toContain(token);
  });
});
