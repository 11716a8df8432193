import type { Command } from 'commander';
import { CrewError } from '../../errors.js';
import { EXIT } from '../cli-io.js';
import { planJson, planText } from '../../plan/render-plan.js';
import { readStackName, readUsd } from '../read-option-values.js';
import { parseSeconds, runAction } from '../run-action.js';
import { resolveIdentity } from '../resolve-identity.js';
import { waitForPlan } from '../../conductor/wait-for-plan.js';
import { rolesToRest } from '../../runtime/crew-roles.js';
import { withCrew } from '../with-crew.js';

const TARGETS = ['sandbox', 'aws', 'proxmox', 'dns'] as const;

export function registerPlanCommand(program: Command): void {
  program
    .command('plan')
    .description('turn a goal into a reviewed plan; waits until it awaits approval (exit 0) or is blocked (exit 2)')
    .argument('<goal>', 'what you want, in words, e.g. "private Ollama on spot g4dn.xlarge, budget $300/month"')
    .option('--as <user>', 'who is asking (default: the OS user)')
    .option('--target <target>', `where it runs: ${TARGETS.join(', ')}`)
    .option('--budget <usd>', 'monthly budget in USD for the brake')
    .option('--stack <name>', 'the stack (workspace) to change')
    .option('--timeout <seconds>', 'how long to wait', '1800')
    .option('--json', 'print one JSON object')
    .action(
      (
        goal: string,
        opts: { as?: string; target?: string; budget?: string; stack?: string; timeout?: string; json?: boolean },
      ) =>
        runAction(async (io) => {
          if (opts.target && !(TARGETS as readonly string[]).includes(opts.target)) {
            throw new CrewError('CREW_ERR_BAD_INPUT', `--target ${opts.target} is not one of ${TARGETS.join(', ')}`);
          }
          const budget = opts.budget === undefined ? undefined : readUsd(opts.budget, '--budget', { allowZero: false });
          if (budget && !budget.ok) throw new CrewError('CREW_ERR_BAD_INPUT', budget.refusal);
          const stack = opts.stack === undefined ? undefined : readStackName(opts.stack);
          if (stack && !stack.ok) throw new CrewError('CREW_ERR_BAD_INPUT', stack.refusal);
          const timeoutMs = parseSeconds(opts.timeout, 1800);
          if (!goal.trim())
            throw new CrewError(
              'CREW_ERR_BAD_INPUT',
              'the goal is empty: say what you want, e.g. "private Ollama on spot g4dn.xlarge, budget $300/month"',
            );
          return withCrew(
            io,
            async ({ config, crew, access }) => {
              const submitted = await crew.ops.submitGoal(
                {
                  text: goal,
                  requestedBy: resolveIdentity(opts.as, access, config.osUser),
                  ...(opts.target ? { target: opts.target as (typeof TARGETS)[number] } : {}),
                  ...(budget?.ok ? { budgetUsd: budget.value } : {}),
                  ...(stack?.ok ? { stack: stack.value } : {}),
                },
                'cli',
              );
              if (!submitted.ok) {
                io.err(`error: ${submitted.refusal}`);
                return EXIT.ERROR;
              }
              if (!opts.json) io.err(`plan ${submitted.value.id} submitted; planning…`);
              crew.fault('DRAFTING');
              let announced = false;
              let redraftAnnounced = false;
              const plan = await waitForPlan(
                crew.plans,
                submitted.value.id,
                ['WAIT_FOR_APPROVE', 'BLOCKED', 'FAILED', 'REJECTED', 'EXPIRED'],
                {
                  timeoutMs,
                  stop: async (p) => {
                    if (p.queuedBehind && !announced) {
                      announced = true;
                      io.err(
                        `plan ${p.id} is queued behind plan ${p.queuedBehind} for stack ${p.stack}; waiting (safe to interrupt: \`crew wait ${p.id}\` picks it up)`,
                      );
                    }
                    if (p.redraftedAt !== undefined && !redraftAnnounced) {
                      redraftAnnounced = true;
                      io.err(
                        `stack ${p.stack} moved to version ${p.redraftedAt} while plan ${p.id} waited for it; its goal is read again against that version`,
                      );
                    }
                    return false;
                  },
                },
              );
              io.out(opts.json ? JSON.stringify(planJson(plan)) : planText(plan));
              if (plan.state === 'WAIT_FOR_APPROVE') return EXIT.OK;
              return plan.state === 'BLOCKED' ? EXIT.BLOCKED : EXIT.ERROR;
            },
            rolesToRest('DRAFTING'),
          );
        }),
    );
}
