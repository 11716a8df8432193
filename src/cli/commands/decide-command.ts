import type { Command } from 'commander';
import { EXIT } from '../cli-io.js';
import { planJson, planText } from '../render-plan.js';
import { parseSeconds, runAction } from '../run-action.js';
import { resolveIdentity } from '../resolve-identity.js';
import { waitForPlan } from '../wait-for-plan.js';
import { withCrew } from '../with-crew.js';

type Opts = { as?: string; reason?: string; timeout?: string; json?: boolean };

function decide(decision: 'approve' | 'reject') {
  return (id: string, opts: Opts) =>
    runAction(async (io) => {
      const timeoutMs = parseSeconds(opts.timeout, 1800);
      return withCrew(io, async ({ crew }) => {
        const by = resolveIdentity(opts.as);
        const auditBefore = (await crew.plans.auditLog(id).catch(() => [])).length;
        const r = await crew.ops.decide(id, decision, by, 'cli', opts.reason);
        if (!r.ok) {
          io.err(`refused: ${r.refusal}`);
          return r.code === 'refused' ? EXIT.REFUSED : EXIT.ERROR;
        }
        if (decision === 'approve' && !opts.json) io.err(`approved by ${by}; applying…`);
        const finalStates = decision === 'approve' ? (['DONE', 'ROLLED_BACK', 'FAILED', 'EXPIRED', 'BLOCKED'] as const) : (['REJECTED', 'EXPIRED'] as const);
        const approvedSha = r.value.planSha256;
        // The Conductor re-checks the decision; a refusal there lands in the audit log. A stale
        // plan comes back re-planned, waiting for a fresh approval of a new plan file.
        const plan = await waitForPlan(crew.plans, id, finalStates, {
          timeoutMs,
          stop: async (p) =>
            p.state === 'WAIT_FOR_APPROVE' && (p.planSha256 !== approvedSha || (await crew.plans.auditLog(id)).length > auditBefore),
        });
        if (plan.state === 'WAIT_FOR_APPROVE' && plan.planSha256 !== approvedSha) {
          io.out(opts.json ? JSON.stringify(planJson(plan)) : planText(plan));
          io.err(`refused: the stack changed after plan ${id} was made; it was re-planned (new plan file sha256 ${plan.planSha256?.slice(0, 12)}) and needs a fresh approval`);
          return EXIT.REFUSED;
        }
        if (plan.state === 'WAIT_FOR_APPROVE') {
          const last = (await crew.plans.auditLog(id)).at(-1);
          io.err(`refused: ${last?.refusal ?? 'the decision was not accepted'}`);
          return EXIT.REFUSED;
        }
        io.out(opts.json ? JSON.stringify(planJson(plan)) : planText(plan));
        if (decision === 'reject') return plan.state === 'REJECTED' ? EXIT.OK : EXIT.REFUSED;
        return plan.state === 'DONE' ? EXIT.OK : plan.state === 'EXPIRED' ? EXIT.REFUSED : EXIT.BLOCKED;
      });
    });
}

export function registerDecideCommands(program: Command): void {
  program
    .command('approve')
    .description('approve a plan someone else requested; applies exactly the reviewed plan file and waits (exit 0 DONE, 2 rolled back/failed, 3 refused)')
    .argument('<id>', 'plan id')
    .option('--as <user>', 'who approves (default: the OS user)')
    .option('--reason <text>', 'a note for the history')
    .option('--timeout <seconds>', 'how long to wait for the apply', '1800')
    .option('--json', 'print one JSON object')
    .action(decide('approve'));
  program
    .command('reject')
    .description('reject a plan waiting for approval (exit 0 REJECTED, 3 refused)')
    .argument('<id>', 'plan id')
    .option('--as <user>', 'who rejects (default: the OS user)')
    .option('--reason <text>', 'why')
    .option('--timeout <seconds>', 'how long to wait', '60')
    .option('--json', 'print one JSON object')
    .action(decide('reject'));
}
