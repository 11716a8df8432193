import { withSurface } from '../../store/audit-surface.js';
import type { Command } from 'commander';
import { EXIT } from '../cli-io.js';
import { planJson, planText } from '../../plan/render-plan.js';
import { parseSeconds, runAction } from '../run-action.js';
import { resolveIdentity } from '../resolve-identity.js';
import { waitForPlan } from '../../conductor/wait-for-plan.js';
import { rolesToRest } from '../../runtime/crew-roles.js';
import { withCrew } from '../with-crew.js';

export function registerRollbackCommand(program: Command): void {
  program
    .command('rollback')
    .description("restore the stack's previous version (destroy if the plan created it); exit 0 when ROLLED_BACK")
    .argument('<id>', 'id of the applied (DONE) plan to undo')
    .option('--as <user>', 'who asks (default: the OS user)')
    .option('--reason <text>', 'why')
    .option('--timeout <seconds>', 'how long to wait', '900')
    .option('--json', 'print one JSON object')
    .action((id: string, opts: { as?: string; reason?: string; timeout?: string; json?: boolean }) =>
      runAction(async (io) => {
        const timeoutMs = parseSeconds(opts.timeout, 900);
        return withCrew(
          io,
          async ({ config, crew, access }) => {
            const by = resolveIdentity(opts.as, access, config.osUser);
            const r = await withSurface('cli', () => crew.ops.requestRollback(id, by, opts.reason));
            if (!r.ok) {
              io.err(`refused: ${r.refusal}`);
              return r.code === 'refused' ? EXIT.REFUSED : EXIT.ERROR;
            }
            if (!opts.json) io.err(`rolling back ${id}…`);
            const plan = await waitForPlan(crew.plans, id, ['ROLLED_BACK', 'FAILED'], { timeoutMs });
            io.out(opts.json ? JSON.stringify(planJson(plan)) : planText(plan));
            return plan.state === 'ROLLED_BACK' ? EXIT.OK : EXIT.BLOCKED;
          },
          rolesToRest('ROLLBACK'),
        );
      }),
    );
}
