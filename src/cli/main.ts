import { Command } from 'commander';
import { registerAuditCommand } from './commands/audit-command.js';
import { registerDecideCommands } from './commands/decide-command.js';
import { registerDoctorCommand } from './commands/doctor-command.js';
import { registerDriftCommand } from './commands/drift-command.js';
import { registerFinopsCommands } from './commands/finops-commands.js';
import { registerSuggestCommand } from './commands/suggest-command.js';
import { registerPlanCommand } from './commands/plan-command.js';
import { registerRollbackCommand } from './commands/rollback-command.js';
import { registerServeCommand } from './commands/serve-command.js';
import { registerStatusCommands } from './commands/status-command.js';
import { registerUnlockCommand } from './commands/unlock-command.js';
import { registerToolCommands } from './commands/tool-commands.js';
import { registerWorkerCommand } from './commands/worker-command.js';
import { registerApiCommand } from './commands/api-command.js';
import { registerMcpCommand } from './commands/mcp-command.js';
import { registerPolicyCommands } from './commands/policy-command.js';

/** The `crew` command line: the same operations as Slack, from a terminal. */
export function buildProgram(): Command {
  const program = new Command();
  program
    .name('crew')
    .description('infracrew: plan → validate → approve → apply → rollback, safely, from chat or a terminal')
    .version('0.1.0')
    .showHelpAfterError('(run crew --help for usage)');
  registerPlanCommand(program);
  registerDecideCommands(program);
  registerRollbackCommand(program);
  registerStatusCommands(program);
  registerAuditCommand(program);
  registerUnlockCommand(program);
  registerDriftCommand(program);
  registerToolCommands(program);
  registerFinopsCommands(program);
  registerSuggestCommand(program);
  registerServeCommand(program);
  registerWorkerCommand(program);
  registerApiCommand(program);
  registerMcpCommand(program);
  registerPolicyCommands(program);
  registerDoctorCommand(program);
  return program;
}

await buildProgram().parseAsync(process.argv);
