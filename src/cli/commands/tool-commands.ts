import type { Command } from 'commander';
import { atlasContextFromConfig } from '../../agents/atlas/atlas-context-from-config.js';
import { readConfig } from '../../config/read-config.js';
import { CrewError } from '../../errors.js';
import { readStackName } from '../read-option-values.js';
import { runAction } from '../run-action.js';
import { withReader } from '../with-reader.js';
import { loadPolicy } from '../../agents/sentinel/policy/load-policy.js';

/** Commands that run one agent's logic alone, without the pipeline. */
export function registerToolCommands(program: Command): void {
  program
    .command('parse')
    .description(
      'print the PlanSpec Atlas makes of a goal, without running anything (exit 0; 2 when blocked; 1 on bad input)',
    )
    .argument('<goal>', 'the goal in words, or a GoalStatement JSON')
    .option('--stack <name>', 'the stack to change')
    .option('--json', 'print JSON')
    .action((goal: string, opts: { stack?: string; json?: boolean }) =>
      runAction(async (io) => {
        const stack = opts.stack === undefined ? undefined : readStackName(opts.stack);
        if (stack && !stack.ok) throw new CrewError('CREW_ERR_BAD_INPUT', stack.refusal);
        const config = readConfig();
        const policy = await loadPolicy(config.policyFile);
        if (!goal.trim()) {
          io.err(
            'error: the goal is empty: say what you want, e.g. "private Ollama on spot g4dn.xlarge, budget $300/month"',
          );
          return 1;
        }
        // Change requests merge with the stack's current version: the stacks the goal names are read.
        const ctx = atlasContextFromConfig(config, policy);
        const { runParseCommand } = await import('../parse-command.js');
        return withReader(io, ({ stacks }) => runParseCommand(goal, opts, ctx, io, stacks));
      }),
    );
  program
    .command('check')
    .description('run Sentinel on a Terraform plan JSON (terraform show -json): exit 0 PASS, 2 FAIL, 1 error')
    .argument('<plan.json>', 'plan JSON file')
    .option('--budget <usd>', 'monthly budget in USD')
    .option('--spent <usd>', 'monthly spend already committed by other stacks')
    .option('--policy <file>', 'org policy YAML (default: CREW_POLICY_FILE)')
    .option('--usage-file <file>', 'Infracost usage file for usage-based costs (default: CREW_USAGE_FILE)')
    .option('--json', 'print the ValidationResult as JSON')
    .action(
      (file: string, opts: { budget?: string; spent?: string; policy?: string; usageFile?: string; json?: boolean }) =>
        runAction(async (io) => {
          const { runCheckCommand } = await import('../check-command.js');
          const config = readConfig();
          const policy = opts.policy ?? config.policyFile;
          const usageFile = opts.usageFile ?? config.usageFile;
          return runCheckCommand(
            file,
            { ...opts, ...(policy ? { policy } : {}), ...(usageFile ? { usageFile } : {}) },
            io,
          );
        }),
    );
}
