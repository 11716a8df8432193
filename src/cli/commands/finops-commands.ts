import type { Command } from 'commander';
import { writeFile } from 'node:fs/promises';
// FinPilot's modules (AWS SDK, chart rendering) load when a FinOps command runs, not at CLI start.
const finpilot = {
  aws: () => import('../../agents/finpilot/aws-clients.js'),
  digest: () => import('../../agents/finpilot/cost-digest.js'),
  goals: () => import('../../agents/finpilot/schedule-goal.js'),
};
import { readConfig } from '../../config/read-config.js';
import { CrewError } from '../../errors.js';
import { EXIT, type CliIo } from '../cli-io.js';
import { parseSeconds, runAction } from '../run-action.js';
import { resolveIdentity } from '../resolve-identity.js';
import { rolesToRest } from '../../runtime/crew-roles.js';
import { printAtReview } from '../print-at-review.js';
import { withCrew } from '../with-crew.js';
import { withReader } from '../with-reader.js';

interface GoalOptions {
  as?: string;
  timeout?: string;
  json?: boolean;
}

/** Submits a schedule goal through the normal pipeline and waits for the review, like `crew plan`. */
async function submitSchedule(io: CliIo, goal: string, opts: GoalOptions): Promise<number> {
  const timeoutMs = parseSeconds(opts.timeout, 1800);
  return withCrew(
    io,
    async ({ config, crew, access }) => {
      const submitted = await crew.ops.submitGoal(
        { text: goal, requestedBy: resolveIdentity(opts.as, access, config.osUser), target: 'aws' },
        'cli',
      );
      if (!submitted.ok) {
        io.err(`error: ${submitted.refusal}`);
        return EXIT.ERROR;
      }
      if (!opts.json) io.err(`plan ${submitted.value.id} submitted ("${goal}"); planning…`);
      return printAtReview(crew.plans, submitted.value.id, io, { json: opts.json, timeoutMs });
    },
    rolesToRest('DRAFTING'),
  );
}

function registerSchedule(program: Command): void {
  const schedule = program
    .command('schedule')
    .description('weekend kill-switch for an Auto Scaling group (plan → review → approve → apply)');
  schedule
    .command('weekend')
    .description('scale the group to zero Friday 22:00 and back Monday 07:00, in a time zone (default CREW_TZ)')
    .argument('<asg>', 'Auto Scaling group name')
    .argument('[tz]', 'IANA time zone, e.g. Europe/Paris')
    .option('--as <user>', 'who is asking (default: the OS user)')
    .option('--timeout <seconds>', 'how long to wait', '1800')
    .option('--json', 'print one JSON object')
    .action((asg: string, tz: string | undefined, opts: GoalOptions) =>
      runAction(async (io) =>
        submitSchedule(io, (await finpilot.goals()).weekendGoal(asg, tz ?? readConfig().timezone), opts),
      ),
    );
  schedule
    .command('off')
    .description("remove the crew's stop/start actions from the group")
    .argument('<asg>', 'Auto Scaling group name')
    .option('--as <user>', 'who is asking (default: the OS user)')
    .option('--timeout <seconds>', 'how long to wait', '1800')
    .option('--json', 'print one JSON object')
    .action((asg: string, opts: GoalOptions) =>
      runAction(async (io) => submitSchedule(io, (await finpilot.goals()).removeScheduleGoal(asg), opts)),
    );
  schedule
    .command('show')
    .description("the group's sizes and scheduled actions, read from AWS")
    .argument('<asg>', 'Auto Scaling group name')
    .option('--json', 'print one JSON object')
    .action((asg: string, opts: { json?: boolean }) =>
      runAction(async (io) => {
        const [{ createAutoScalingClient }, { describeSchedule }] = await Promise.all([
          finpilot.aws(),
          finpilot.goals(),
        ]);
        // Reads AWS settings only: no Redis, no agents.
        const client = createAutoScalingClient(readConfig().aws.client);
        try {
          const shown = await describeSchedule(client, asg);
          io.out(opts.json ? JSON.stringify(shown.json) : shown.text);
          return EXIT.OK;
        } finally {
          client.destroy();
        }
      }),
    );
}

function registerDigest(program: Command): void {
  program
    .command('digest')
    .description(
      'cost digest: per-stack monthly cost, Spot and off-hours savings, spend and forecast against the brake',
    )
    .option('--json', 'print the CostDigest payload')
    .option('--png <file>', 'also write the chart as a PNG')
    .action((opts: { json?: boolean; png?: string }) =>
      runAction((io) =>
        // No agents needed: the digest only reads the stack store, ledger and Spot cache.
        withReader(io, async ({ config, redis, stacks, plans }) => {
          const { costExplorerActuals } = await import('../../agents/finpilot/read-actual-costs.js');
          const actuals = costExplorerActuals(config.aws);
          const deps = {
            redis,
            stacks,
            plans,
            region: config.region,
            budgetUsd: config.budgetUsd ?? null,
            brakeRatio: config.brakeRatio,
            ...(actuals ? { actuals } : {}),
          };
          const { buildDigestReport, defaultDigestPeriod, digestFooter, renderDigestPng, renderDigestText } =
            await finpilot.digest();
          const report = await buildDigestReport(deps, await defaultDigestPeriod(deps));
          if (opts.png) {
            await writeFile(
              opts.png,
              renderDigestPng(report.digest, report.budget.brakeRatio, digestFooter(report)),
            ).catch((err: Error) => {
              throw new CrewError('CREW_ERR_BAD_INPUT', `cannot write ${opts.png}: ${err.message}`);
            });
            if (!opts.json) io.err(`chart written to ${opts.png}`);
          }
          io.out(opts.json ? JSON.stringify(report.digest) : renderDigestText(report.digest, report));
          return EXIT.OK;
        }),
      ),
    );
}

/** `crew digest` and `crew schedule weekend|off|show`. */
export function registerFinopsCommands(program: Command): void {
  registerDigest(program);
  registerSchedule(program);
}
