import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { McpDeps, WhoIsCalling } from './mcp-deps.js';
import { registerPlanTools } from './register-plan-tools.js';
import { registerReadTools } from './register-read-tools.js';

/**
 * The crew's MCP server: tools that plan and read. None approves, rejects, applies, rolls back
 * or unlocks; those stay with people, on the surfaces that check who they are.
 */
export function createMcpServer(deps: McpDeps, who: WhoIsCalling): McpServer {
  const server = new McpServer(
    { name: 'infracrew', version: '0.1.0' },
    {
      instructions:
        'infracrew plans infrastructure changes and reports on them. plan_infrastructure submits a goal and returns its review; a human must approve it in Slack or with crew approve. No tool approves, applies, rolls back or unlocks.',
    },
  );
  registerPlanTools(server, deps, who);
  registerReadTools(server, deps);
  return server;
}
