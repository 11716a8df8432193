import type { Command } from 'commander';
import { EXIT } from '../cli-io.js';
import { resolveIdentity } from '../resolve-identity.js';
import { runAction } from '../run-action.js';
import { withCrew } from '../with-crew.js';

/**
 * `crew mcp`: the MCP tools over stdio for a client that starts it (stdout carries JSON-RPC only;
 * everything else goes to stderr). Joined to the crew like `crew plan`, so plans move with no
 * server running; ends when the client closes stdin, or on SIGTERM/SIGINT.
 */
export function registerMcpCommand(program: Command): void {
  program
    .command('mcp')
    .description('serve the MCP tools (plan and read; never approve) over stdio, for an MCP client to start')
    .option('--as <user>', 'who is asking (default: the OS user; the crew identity rules apply)')
    .action((opts: { as?: string }) =>
      runAction(async (io) => {
        const ended = new Promise<void>((resolve) => {
          process.stdin.once('end', resolve);
          process.stdin.once('close', resolve);
          process.once('SIGTERM', () => resolve());
          process.once('SIGINT', () => resolve());
        });
        return withCrew(
          io,
          async ({ config, redis, crew, access }) => {
            // A name the crew's rules refuse stops the server before a client relies on it.
            const me = resolveIdentity(opts.as, access, config.osUser);
            // Each call asks again: the rules in force when it runs are the ones that count.
            const who = async () => resolveIdentity(opts.as, await crew.access.current(), config.osUser);
            // The MCP SDK, zod and Atlas's reader load here, not on every `crew` start.
            const [{ StdioServerTransport }, { createMcpServer }, { mcpDepsForCrew }] = await Promise.all([
              import('@modelcontextprotocol/sdk/server/stdio.js'),
              import('../../mcp/create-mcp-server.js'),
              import('../../mcp/mcp-deps-for-crew.js'),
            ]);
            const server = createMcpServer(mcpDepsForCrew({ config, redis, crew }), who);
            await server.connect(new StdioServerTransport());
            io.err(`infracrew: MCP server on stdio, acting as ${me}`);
            await ended;
            await server.close();
            return EXIT.OK;
          },
          undefined,
          { handleSignals: false, operations: { surface: 'mcp' }, label: 'crew mcp' },
        );
      }),
    );
}
