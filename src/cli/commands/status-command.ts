import type { Command } from 'commander';
import { RESTING_STATES } from '../../plan/plan-states.js';
import { EXIT } from '../cli-io.js';
import { historyText, planJson, planRow, planText } from '../../plan/render-plan.js';
import { parseSeconds, runAction } from '../run-action.js';
import { waitForPlan } from '../../conductor/wait-for-plan.js';
import { rolesToRest } from '../../runtime/crew-roles.js';
import { withCrew } from '../with-crew.js';
import { withReader } from '../with-reader.js';
import { findPlan } from '../../conductor/find-plan.js';
import { planWithApprovals } from '../../conductor/plan-approvals.js';

export function registerStatusCommands(program: Command): void {
  program
    .command('status')
    .description('show one plan, or the recent ones')
    .argument('[id]', 'plan id')
    .option('--limit <n>', 'how many recent plans', '20')
    .option('--json', 'print JSON')
    .action((id: string | undefined, opts: { limit?: string; json?: boolean }) =>
      runAction((io) =>
        withReader(io, async ({ plans: store }) => {
          if (!id) {
            const plans = await store.recent(Math.max(1, Math.min(200, Number(opts.limit) || 20)));
            io.out(
              opts.json
                ? JSON.stringify(plans.map(planJson))
                : plans.length
                  ? plans.map(planRow).join('\n')
                  : 'no plans yet',
            );
            return EXIT.OK;
          }
          const r = await findPlan(store, id);
          if (!r.ok) {
            io.err(`error: ${r.refusal}`);
            return EXIT.ERROR;
          }
          io.out(opts.json ? JSON.stringify(await planWithApprovals(store, r.value)) : planText(r.value));
          return EXIT.OK;
        }),
      ),
    );
  program
    .command('history')
    .description("a plan's transitions in order (from, to, at, by, reason)")
    .argument('<id>', 'plan id')
    .option('--json', 'print a JSON array')
    .action((id: string, opts: { json?: boolean }) =>
      runAction((io) =>
        withReader(io, async ({ plans }) => {
          const r = await findPlan(plans, id);
          if (!r.ok) {
            io.err(`error: ${r.refusal}`);
            return EXIT.ERROR;
          }
          const rows = await plans.history(id);
          io.out(opts.json ? JSON.stringify(rows) : historyText(rows));
          return EXIT.OK;
        }),
      ),
    );
  program
    .command('wait')
    .description(
      'join the crew until a plan rests (waits for approval, is done, or has ended): resumes work a killed process left',
    )
    .argument('<id>', 'plan id')
    .option('--timeout <seconds>', 'how long to wait', '1800')
    .option('--json', 'print one JSON object')
    .action((id: string, opts: { timeout?: string; json?: boolean }) =>
      runAction(async (io) => {
        const timeoutMs = parseSeconds(opts.timeout, 1800);
        return withCrew(
          io,
          async ({ crew }) => {
            const r = await crew.ops.find(id);
            if (!r.ok) {
              io.err(`error: ${r.refusal}`);
              return EXIT.ERROR;
            }
            // Only the roles this plan still needs from where it stands; work for others stays theirs.
            crew.join(rolesToRest(r.value.state));
            const plan = await waitForPlan(crew.plans, id, [...RESTING_STATES], { timeoutMs });
            io.out(opts.json ? JSON.stringify(planJson(plan)) : planText(plan));
            return EXIT.OK;
          },
          [],
        );
      }),
    );
}
