import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonOf, makeCrewEnv, type CrewEnv } from '../../support/crew-env.js';
import { callTool, connectStdio, structuredOf, untilState, type StdioCrew } from '../../support/mcp-client.js';
import { HUMAN_APPROVAL } from '../../../src/mcp/plan-review.js';

// `crew mcp` as an MCP host starts it: the built CLI spawned by the SDK's stdio client, on a
// private Redis, the sandbox target with real Terraform, acting as the identity --as names.

let t: CrewEnv;
let mcp: StdioCrew;

beforeAll(async () => {
  t = await makeCrewEnv();
  mcp = await connectStdio(['--as', 'alice'], t.env);
});
afterAll(async () => {
  await mcp?.client.close();
  await t.close();
});

describe('crew mcp over stdio', () => {
  let planId: string;

  it('lists the tools and plans a goal as the --as identity, up to a human approval', async () => {
    const { tools } = await mcp.client.listTools();
    expect(tools.map((x) => x.name).sort()).toEqual([
      'check_plan_json',
      'cost_digest',
      'parse_goal',
      'plan_history',
      'plan_infrastructure',
      'plan_status',
    ]);
    const goal = 'private Ollama on spot g4dn.xlarge in us-east-1, 1 instance, budget $300/month';
    const review = structuredOf<{ planId: string; state: string; requestedBy: string; approval: string }>(
      await callTool(mcp.client, 'plan_infrastructure', { nl: goal, stack: 'mcp-stdio', target: 'sandbox' }),
    );
    planId = review.planId;
    expect(review.requestedBy).toBe('alice');
    // On a slow machine the tool answers before the review is ready; a client then polls plan_status.
    if (review.state !== 'WAIT_FOR_APPROVE') await untilState(mcp.client, planId, 'WAIT_FOR_APPROVE');
    else expect(review.approval).toContain(HUMAN_APPROVAL);
    expect(mcp.stderr()).toContain('MCP server on stdio, acting as alice');
  });

  it('plan_status and plan_history return the objects crew status --json and crew history --json print', async () => {
    const status = structuredOf<{ plan: unknown }>(await callTool(mcp.client, 'plan_status', { id: planId }));
    expect(status.plan).toEqual(jsonOf(await t.crew(['status', planId, '--json'])));
    const history = structuredOf<{ transitions: unknown }>(await callTool(mcp.client, 'plan_history', { id: planId }));
    expect(history.transitions).toEqual(jsonOf(await t.crew(['history', planId, '--json'])));
  });

  it('the requester it planned as cannot approve the plan elsewhere; it still waits for someone else', async () => {
    const own = await t.crew(['approve', planId, '--as', 'alice']);
    expect(own.code, own.stderr).toBe(3);
    expect(own.stderr).toMatch(/four-eyes/);
    expect((await t.plans().get(planId))?.state).toBe('WAIT_FOR_APPROVE');
  });

  it('ends with exit 0 when the client closes stdin, having written nothing but JSON-RPC to stdout', async () => {
    // stdin is /dev/null here: the client has gone before saying anything.
    const r = await t.crew(['mcp', '--as', 'bob']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('MCP server on stdio, acting as bob');
  });
});
