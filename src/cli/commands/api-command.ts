import type { Command } from 'commander';
import { EXIT } from '../cli-io.js';
import { runAction } from '../run-action.js';
import { withCrew } from '../with-crew.js';

const DEFAULT_API_PORT = 8080;

/** `crew api`: the HTTP API alone (no Slack), joined to the crew like `crew worker`, until SIGTERM/SIGINT. */
export function registerApiCommand(program: Command): void {
  program
    .command('api')
    .description(
      `serve the HTTP API (/api/v1) on CREW_API_HOST:CREW_API_PORT (default 127.0.0.1:${DEFAULT_API_PORT}) with the crew's agents, until stopped`,
    )
    .action(() =>
      runAction(async (io) => {
        const stopRequested = new Promise<void>((resolve) => {
          process.once('SIGTERM', () => resolve());
          process.once('SIGINT', () => resolve());
        });
        return withCrew(
          io,
          async ({ config, crew, logger, redis }) => {
            // Fastify and the MCP SDK load only for `crew api`.
            const { startApiServer } = await import('../../api/start-api-server.js');
            const { mcpDepsForCrew } = await import('../../mcp/mcp-deps-for-crew.js');
            const { mcpEndpoint } = await import('../../mcp/register-mcp-route.js');
            const server = await startApiServer({
              ops: crew.ops,
              plans: crew.plans,
              tokens: config.api.tokens,
              artifacts: crew.artifacts,
              ...(config.api.linkSecret ? { linkSecret: config.api.linkSecret } : {}),
              ratePerMinute: config.api.ratePerMinute,
              logger,
              mounts: [mcpEndpoint(mcpDepsForCrew({ config, redis, crew }))],
              host: config.api.host,
              port: config.api.port ?? DEFAULT_API_PORT,
            });
            io.err(`infracrew: HTTP API at http://${server.host}:${server.port}/api/v1 (SIGTERM to stop)`);
            await stopRequested;
            io.err('api stopping: finishing in-flight requests');
            await server.close();
            return EXIT.OK;
          },
          undefined,
          { handleSignals: false, operations: { surface: 'api' }, operator: true, label: 'crew api' },
        );
      }),
    );
}
