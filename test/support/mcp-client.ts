import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { CREW_BIN } from './run-crew.js';
import { waitFor } from './wait-for.js';

// The SDK's own client, as an MCP host runs it: over streamable HTTP with a bearer token, or
// spawning the built `crew mcp` over stdio.

/** plan_infrastructure waits for Terraform: longer than the SDK's 60 s default on a loaded machine. */
export const TOOL_TIMEOUT_MS = 170_000;

export async function connectHttp(url: string, token?: string): Promise<Client> {
  const client = new Client({ name: 'infracrew-test', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    ...(token ? { requestInit: { headers: { authorization: `Bearer ${token}` } } } : {}),
  });
  await client.connect(transport);
  return client;
}

export interface StdioCrew {
  client: Client;
  /** What `crew mcp` wrote to stderr so far. */
  stderr(): string;
}

export async function connectStdio(args: string[], env: Record<string, string>): Promise<StdioCrew> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CREW_BIN, 'mcp', ...args],
    env: { CREW_LOG_LEVEL: 'warn', ...env },
    stderr: 'pipe',
  });
  let err = '';
  transport.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const client = new Client({ name: 'infracrew-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, stderr: () => err };
}

export async function callTool(client: Client, name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args }, undefined, { timeout: TOOL_TIMEOUT_MS })) as CallToolResult;
}

/** The structured content of a successful call; a tool error fails the test with its text. */
export function structuredOf<T = Record<string, unknown>>(r: CallToolResult): T {
  if (r.isError || !r.structuredContent) throw new Error(`tool error: ${JSON.stringify(r.content)}`);
  return r.structuredContent as T;
}

/** The text of a tool error; a successful call fails the test. */
export function errorText(r: CallToolResult): string {
  if (!r.isError) throw new Error(`expected a tool error, got ${JSON.stringify(r.structuredContent)}`);
  return r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
}

/** Polls plan_status, as a client would after plan_infrastructure answered before the review was ready. */
export async function untilState(
  client: Client,
  planId: string,
  state: string,
  timeoutMs = 150_000,
): Promise<Record<string, unknown>> {
  return waitFor(
    async () => {
      const { plan } = structuredOf<{ plan: Record<string, unknown> }>(
        await callTool(client, 'plan_status', { id: planId }),
      );
      return plan.state === state ? plan : undefined;
    },
    { timeoutMs, intervalMs: 500, what: `plan ${planId} to be ${state}` },
  );
}
