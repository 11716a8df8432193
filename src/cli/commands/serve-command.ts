import type { Command } from 'commander';
import { readConfig } from '../../config/read-config.js';
import { errorMessage } from '../../errors.js';
import { createLogger } from '../../log/create-logger.js';
import { ALL_ROLES } from '../../runtime/start-crew.js';
import type { FinopsJobs } from '../../runtime/start-finops.js';
import type { Operations } from '../../runtime/start-operations.js';
import { readSecrets } from '../../secrets/read-secrets.js';
import { EXIT, processIo } from '../cli-io.js';

const DEFAULT_METRICS_PORT = 9464;

/** `crew serve`: the Slack bot with the Conductor, agents and FinPilot in-process, until SIGTERM/SIGINT. */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the Slack bot (Socket Mode with SLACK_APP_TOKEN, else signed HTTP with SLACK_SIGNING_SECRET) with the whole crew in-process')
    .action(async () => {
      let stopAll: () => Promise<void>;
      try {
        // Secrets first (Vault, else the environment), so every one is masked before anything logs.
        const secrets = await readSecrets(process.env);
        for (const [key, value] of Object.entries(secrets.values)) if (value && !process.env[key]) process.env[key] = value;
        const config = readConfig();
        const logger = createLogger({ level: config.logLevel === 'warn' ? 'info' : config.logLevel });
        const renewal = secrets.startRenewal({ onError: (err) => logger.warn({ err }, 'vault token renewal failed') });
        // Bolt, the Slack client and the AWS SDK load only for `crew serve`.
        const [{ startSlackServer }, { registerHandlers }, { startFinops }, { startOperations }, { uploadFiles }] = await Promise.all([
          import('../../slack/start-slack-server.js'),
          import('../../../handlers/register-handlers.js'),
          import('../../runtime/start-finops.js'),
          import('../../runtime/start-operations.js'),
          import('../../slack/upload-file.js'),
        ]);
        let finops: FinopsJobs | undefined;
        const late: { ops?: Operations } = {};
        const digestChannel = process.env.CREW_DIGEST_CHANNEL;
        const server = await startSlackServer({
          registerHandlers,
          logger,
          observeAck: (seconds) => late.ops?.metrics.observeSlackAck(seconds),
          crewHooks: {
            onTransition: (plan, from, to) => late.ops?.metrics.observePlanTransition(plan, from, to),
            onTerraform: (command, seconds) => late.ops?.metrics.observeTerraform(command, seconds),
          },
          finops: async (crew, redis) => {
            finops = await startFinops({
              config, redis, crew, logger,
              ...(digestChannel
                ? { post: (text: string, png: Buffer) => server.app.client.chat.postMessage({ channel: digestChannel, text }).then((m) => uploadFiles(server.app.client, digestChannel, m.ts, [{ filename: 'cost-digest.png', title: 'Cost digest', data: png }])) }
                : {}),
            });
            return finops.hooks;
          },
        });
        const ops: Operations = (late.ops = await startOperations({
          redis: server.redis, plans: server.crew.plans, logger, agents: [...ALL_ROLES, 'slack'],
          metricsPort: config.metricsPort ?? DEFAULT_METRICS_PORT, metricsHost: config.metricsHost,
        }));
        processIo.err(server.mode === 'socket' ? 'infracrew: serving Slack over Socket Mode' : `infracrew: serving Slack over HTTP on port ${server.port} (POST /slack/events)`);
        if (ops.port !== undefined) processIo.err(`infracrew: metrics at http://${config.metricsHost}:${ops.port}/metrics`);
        stopAll = async () => {
          finops?.close();
          renewal.stop();
          await ops.close();
          await server.close();
        };
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
