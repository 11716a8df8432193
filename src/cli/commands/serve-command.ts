import type { Command } from 'commander';
import { requireSlackConfig } from '../../config/read-slack-settings.js';
import { CrewError, errorMessage } from '../../errors.js';
import type { RunningCrew } from '../../runtime/open-crew.js';
import type { ApiServer } from '../../api/start-api-server.js';
import type { SlackServer } from '../../slack/start-slack-server.js';
import { fullPlanUrl } from '../../plan-page/full-plan-url.js';
import { EXIT, processIo } from '../cli-io.js';

const DEFAULT_METRICS_PORT = 9464;

/** Starts the crew, then the Slack surface on it; both stop with the returned function. */
async function startServing(): Promise<() => Promise<void>> {
  // Bolt and the Slack client load only for `crew serve`.
  const [{ startSlackServer }, { registerHandlers }, { postDigest }, { openCrew }] = await Promise.all([
    import('../../slack/start-slack-server.js'),
    import('../../../handlers/register-handlers.js'),
    import('../../slack/post-digest.js'),
    import('../../runtime/open-crew.js'),
  ]);
  const late: { server?: SlackServer } = {};
  const running: RunningCrew = await openCrew({
    label: 'crew serve',
    // A long-running bot says what it does: the CLI's default `warn` becomes `info`.
    logLevel: (level) => (level === 'warn' ? 'info' : level),
    // Without Slack tokens there is nothing to serve: say how to create the app before connecting anything.
    check: (config) => void requireSlackConfig(config.slack),
    operations: { surfaces: ['slack'], defaultMetricsPort: DEFAULT_METRICS_PORT },
    finops: {
      post: async (channel, text, png) => {
        if (!late.server)
          throw new CrewError('CREW_ERR_INTERNAL', 'the cost digest came due before Slack was connected');
        await postDigest(late.server.app.client, late.server.post, channel, text, png);
      },
      postSuggestions: async (channel, list) => {
        if (!late.server)
          throw new CrewError('CREW_ERR_INTERNAL', 'the savings suggestions came due before Slack was connected');
        const { renderSuggestionBlocks } = await import('../../slack/render/render-suggestions.js');
        await late.server.post({ channel, ...renderSuggestionBlocks(list) });
      },
      postDrift: async (channel, run, scheduled) => {
        if (!late.server)
          throw new CrewError('CREW_ERR_INTERNAL', 'a drift report came due before Slack was connected');
        const { postDriftReports } = await import('../../slack/post-drift-reports.js');
        await postDriftReports(late.server.post, channel, run, { announceClean: scheduled });
      },
    },
  });
  const { config, logger, operations } = running;
  logger.info(running.redisDescription);
  try {
    late.server = await startSlackServer({
      running,
      registerHandlers,
      ...(running.finops ? { finops: running.finops.hooks } : {}),
      observeAck: (seconds) => operations?.metrics.observeSlackAck(seconds),
      // The review's "Full plan" link, when CREW_LINK_SECRET and CREW_PUBLIC_URL are set.
      fullPlanUrl: (planId) => fullPlanUrl(config.api, planId),
    });
  } catch (err) {
    await running.close();
    throw err;
  }
  const server = late.server;
  let api: ApiServer | undefined;
  if (config.api.port !== undefined) {
    try {
      const [{ startApiServer }, { mcpDepsForCrew }, { mcpEndpoint }] = await Promise.all([
        import('../../api/start-api-server.js'),
        import('../../mcp/mcp-deps-for-crew.js'),
        import('../../mcp/register-mcp-route.js'),
      ]);
      api = await startApiServer({
        ops: running.crew.ops,
        plans: running.crew.plans,
        tokens: config.api.tokens,
        artifacts: running.crew.artifacts,
        ...(config.api.linkSecret ? { linkSecret: config.api.linkSecret } : {}),
        ratePerMinute: config.api.ratePerMinute,
        logger,
        mounts: [mcpEndpoint(mcpDepsForCrew(running))],
        host: config.api.host,
        port: config.api.port,
      });
    } catch (err) {
      await server.close();
      await running.close();
      throw err;
    }
    processIo.err(`infracrew: HTTP API at http://${api.host}:${api.port}/api/v1`);
  }
  processIo.err(
    server.mode === 'socket'
      ? 'infracrew: serving Slack over Socket Mode'
      : `infracrew: serving Slack over HTTP on port ${server.port} (POST /slack/events)`,
  );
  if (operations?.port !== undefined)
    processIo.err(`infracrew: metrics at http://${config.metricsHost}:${operations.port}/metrics`);
  return async () => {
    await api?.close();
    await server.close();
    await running.close();
  };
}

/** `crew serve`: the Slack bot with the Conductor, agents and FinPilot in-process, until SIGTERM/SIGINT. */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description(
      'run the Slack bot (Socket Mode with SLACK_APP_TOKEN, else signed HTTP with SLACK_SIGNING_SECRET) with the whole crew in-process',
    )
    .action(async () => {
      let stopAll: () => Promise<void>;
      try {
        stopAll = await startServing();
      } catch (err) {
        const message = errorMessage(err);
        processIo.err(`error: ${message}`);
        process.exitCode = EXIT.ERROR;
        return;
      }
      const stop = (signal: string) => {
        processIo.err(`infracrew: ${signal}, shutting down`);
        stopAll().then(
          () => process.exit(EXIT.OK),
          (err: unknown) => {
            processIo.err(`error during shutdown: ${errorMessage(err)}`);
            process.exit(EXIT.ERROR);
          },
        );
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    });
}
