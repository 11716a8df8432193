import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMAND_GROUPS, groupsFor } from '../../../src/cli/command-groups.js';

describe('the CLI loads the module of the command it runs', () => {
  it('names, for each module, exactly the top-level commands it registers', async () => {
    for (const group of COMMAND_GROUPS) {
      const program = new Command();
      (await group.load())(program);
      expect(program.commands.map((c) => c.name())).toEqual(group.names);
    }
  });

  it('names no command twice', () => {
    const names = COMMAND_GROUPS.flatMap((g) => g.names);
    expect(new Set(names).size).toBe(names.length);
  });

  it('picks the one module of a known command, and every module for help, options or an unknown name', () => {
    expect(groupsFor(['status', '--json']).flatMap((g) => g.names)).toEqual(['status', 'history', 'wait']);
    expect(groupsFor(['schedule', 'weekend', 'asg-1']).flatMap((g) => g.names)).toEqual(['digest', 'schedule']);
    for (const args of [[], ['--help'], ['help', 'status'], ['-V'], ['stauts']]) {
      expect(groupsFor(args)).toBe(COMMAND_GROUPS);
    }
  });
});
