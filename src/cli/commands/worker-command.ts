import type { Command } from 'commander';
import { CrewError } from '../../errors.js';
import { ALL_ROLES, type Role } from '../../runtime/crew-roles.js';
import { EXIT } from '../cli-io.js';
import { runAction } from '../run-action.js';
import { withCrew } from '../with-crew.js';

function parseRoles(raw: string | undefined): Role[] {
  if (!raw) return [...ALL_ROLES];
  const roles = raw
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  const bad = roles.filter((r) => !(ALL_ROLES as readonly string[]).includes(r));
  if (bad.length || roles.length === 0) {
    throw new CrewError(
      'CREW_ERR_BAD_INPUT',
      `--roles ${raw}: unknown role ${bad.join(', ') || '(none)'}; roles are ${ALL_ROLES.join(', ')}`,
    );
  }
  return roles as Role[];
}

/** `crew worker`: joins the crew's consumer groups until SIGTERM/SIGINT, for scale-out. */
export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description(`run agents until stopped (SIGTERM finishes in-flight work first); roles: ${ALL_ROLES.join(', ')}`)
    .option('--roles <list>', 'comma-separated roles (default: all)')
    .action((opts: { roles?: string }) =>
      runAction(async (io) => {
        const roles = parseRoles(opts.roles);
        // Listen before anything starts: a stop that arrives while starting still drains cleanly.
        const stopRequested = new Promise<void>((resolve) => {
          process.once('SIGTERM', () => resolve());
          process.once('SIGINT', () => resolve());
        });
        return withCrew(
          io,
          async () => {
            io.err(`worker running: ${roles.join(', ')} (SIGTERM to stop)`);
            await stopRequested;
            io.err('worker stopping: finishing in-flight work');
            return EXIT.OK;
          },
          roles,
          // Workers are the operator's processes: they publish the crew's access policy.
          { handleSignals: false, operations: {}, operator: true, label: 'crew worker' },
        );
      }),
    );
}
