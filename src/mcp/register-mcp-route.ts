import type { FastifyInstance } from 'fastify';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { sendProblem } from '../api/send-problem.js';
import { createMcpServer } from './create-mcp-server.js';
import type { McpDeps } from './mcp-deps.js';

/** A plan JSON for check_plan_json may be megabytes; every other body stays under the API's limit. */
export const MCP_BODY_LIMIT = 5 * 1024 * 1024;

/**
 * Streamable HTTP at /mcp, stateless: each POST is one JSON-RPC exchange on a fresh server bound
 * to the caller's bearer-token identity (the API's onRequest hook has already refused a bad token).
 */
export function registerMcpRoute(app: FastifyInstance, deps: McpDeps): void {
  app.post('/mcp', { bodyLimit: MCP_BODY_LIMIT }, async (request, reply) => {
    const identity = request.identity;
    const server = createMcpServer(deps, async () => identity);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    reply.raw.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    reply.hijack();
    await transport.handleRequest(request.raw, reply.raw, request.body);
  });
  // Stateless: no stream to resume and no session to end.
  for (const method of ['GET', 'DELETE'] as const)
    app.route({
      method,
      url: '/mcp',
      handler: (_request, reply) =>
        sendProblem(reply.header('allow', 'POST'), {
          status: 405,
          title: 'Method Not Allowed',
          detail: 'this MCP endpoint is stateless: send each JSON-RPC request as a POST',
        }),
    });
}

/** The /mcp endpoint as the API app mounts it (`mounts` in its deps). */
export const mcpEndpoint =
  (deps: McpDeps) =>
  (app: FastifyInstance): void =>
    registerMcpRoute(app, deps);
