import { withSurface } from '../../store/audit-surface.js';
import type { Command } from 'commander';
import { EXIT } from '../cli-io.js';
import { runAction } from '../run-action.js';
import { resolveIdentity } from '../resolve-identity.js';
import { withCrew } from '../with-crew.js';

export function registerUnlockCommand(program: Command): void {
  program
    .command('unlock')
    .description("admin: free a stack's lock, cancelling the plan that holds it if it has not been applied")
    .argument('<stack>', 'stack name')
    .option('--as <user>', "who (must be an approver when the crew's approvers are set)")
    .action((stack: string, opts: { as?: string }) =>
      runAction((io) =>
        withCrew(
          io,
          async ({ config, crew, access }) => {
            const by = resolveIdentity(opts.as, access, config.osUser);
            const r = await withSurface('cli', () => crew.ops.unlock(stack, by));
            if (!r.ok) {
              io.err(`refused: ${r.refusal}`);
              return r.code === 'refused' ? EXIT.REFUSED : EXIT.ERROR;
            }
            io.out(
              r.value.holder
                ? `stack ${stack} unlocked (was held by plan ${r.value.holder})`
                : `stack ${stack} was not locked`,
            );
            return EXIT.OK;
          },
          [],
        ),
      ),
    );
}
