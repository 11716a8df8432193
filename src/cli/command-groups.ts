import type { Command } from 'commander';

type Register = (program: Command) => void;

/** The top-level commands one module registers, and how to load it. */
export interface CommandGroup {
  names: readonly string[];
  load: () => Promise<Register>;
}

/**
 * Every `crew` command by module, in the order `crew --help` lists them. A command loads only
 * its own module (and what that imports), so `crew status` does not pay for `crew serve`.
 */
export const COMMAND_GROUPS: readonly CommandGroup[] = [
  { names: ['plan'], load: async () => (await import('./commands/plan-command.js')).registerPlanCommand },
  {
    names: ['approve', 'reject'],
    load: async () => (await import('./commands/decide-command.js')).registerDecideCommands,
  },
  { names: ['rollback'], load: async () => (await import('./commands/rollback-command.js')).registerRollbackCommand },
  {
    names: ['status', 'history', 'wait'],
    load: async () => (await import('./commands/status-command.js')).registerStatusCommands,
  },
  { names: ['audit'], load: async () => (await import('./commands/audit-command.js')).registerAuditCommand },
  { names: ['unlock'], load: async () => (await import('./commands/unlock-command.js')).registerUnlockCommand },
  { names: ['rollout'], load: async () => (await import('./commands/rollout-command.js')).registerRolloutCommand },
  { names: ['drift'], load: async () => (await import('./commands/drift-command.js')).registerDriftCommand },
  { names: ['parse', 'check'], load: async () => (await import('./commands/tool-commands.js')).registerToolCommands },
  {
    names: ['digest', 'schedule'],
    load: async () => (await import('./commands/finops-commands.js')).registerFinopsCommands,
  },
  { names: ['suggest'], load: async () => (await import('./commands/suggest-command.js')).registerSuggestCommand },
  { names: ['serve'], load: async () => (await import('./commands/serve-command.js')).registerServeCommand },
  { names: ['worker'], load: async () => (await import('./commands/worker-command.js')).registerWorkerCommand },
  { names: ['api'], load: async () => (await import('./commands/api-command.js')).registerApiCommand },
  { names: ['mcp'], load: async () => (await import('./commands/mcp-command.js')).registerMcpCommand },
  { names: ['policy'], load: async () => (await import('./commands/policy-command.js')).registerPolicyCommands },
  { names: ['doctor'], load: async () => (await import('./commands/doctor-command.js')).registerDoctorCommand },
];

/**
 * The groups a command line needs: the one that defines its command, or all of them when it
 * names none the table knows (`crew --help`, `crew help`, a typo commander suggests a fix for).
 */
export function groupsFor(args: readonly string[]): readonly CommandGroup[] {
  const name = args[0];
  const own = name === undefined ? [] : COMMAND_GROUPS.filter((g) => g.names.includes(name));
  return own.length ? own : COMMAND_GROUPS;
}

/** Registers the groups `args` needs on `program`, in the table's order. */
export async function registerCommands(program: Command, args: readonly string[]): Promise<void> {
  const registers = await Promise.all(groupsFor(args).map((g) => g.load()));
  for (const register of registers) register(program);
}
