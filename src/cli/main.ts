import { Command } from 'commander';
import { registerCommands } from './command-groups.js';
import { applyCrewV8Flags } from './quick-regexp-compile.js';

/**
 * The `crew` command line: the same operations as Slack, from a terminal. Only the module of
 * the command being run is loaded (all of them for help), so a quick command starts quickly.
 */
export async function buildProgram(args: readonly string[]): Promise<Command> {
  const program = new Command();
  program
    .name('crew')
    .description('infracrew: plan → validate → approve → apply → rollback, safely, from chat or a terminal')
    .version('0.1.0')
    .showHelpAfterError('(run crew --help for usage)');
  await registerCommands(program, args);
  return program;
}

applyCrewV8Flags();
await (await buildProgram(process.argv.slice(2))).parseAsync(process.argv);
