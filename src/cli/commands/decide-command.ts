import { withSurface } from '../../store/audit-surface.js';
import type { Command } from 'commander';
import { EXIT } from '../cli-io.js';
import { planJson, planText } from '../../plan/render-plan.js';
import { parseSeconds, runAction } from '../run-action.js';
import { resolveIdentity } from '../resolve-identity.js';
import { waitForDecision, waitForPlan } from '../../conductor/wait-for-plan.js';
import { rolesToRest, type Role } from '../../runtime/crew-roles.js';
import { withCrew } from '../with-crew.js';
import { planWithApprovals } from '../../conductor/plan-approvals.js';

type Opts = { as?: string; reason?: string; timeout?: string; json?: boolean; sha?: string; confirm?: string };

function decide(decision: 'approve' | 'reject') {
  return (id: string, opts: Opts) =>
    runAction(async (io) => {
      const timeoutMs = parseSeconds(opts.timeout, decision === 'approve' ? 1800 : 60);
      // The Conductor judges the decision; an approval then needs what applying takes (Forge,
      // and Sentinel for a stale plan's re-plan). A rejection ends the plan: the Conductor alone.
      const roles: Role[] = decision === 'approve' ? rolesToRest('APPLYING', ['conductor']) : ['conductor'];
      return withCrew(
        io,
        async ({ config, crew, access }) => {
          const by = resolveIdentity(opts.as, access, config.osUser);
          const r = await withSurface('cli', () =>
            crew.ops.decide(id, decision, by, 'cli', {
              ...(opts.reason ? { reason: opts.reason } : {}),
              ...(opts.sha !== undefined ? { sha: opts.sha } : {}),
              ...(opts.confirm !== undefined ? { confirm: opts.confirm } : {}),
              requireSha: access.strictIdentity,
            }),
          );
          if (!r.ok) {
            // A decision on another plan file than the current one: show the current plan to review.
            if ('stale' in r && r.stale && r.plan)
              io.out(opts.json ? JSON.stringify(planJson(r.plan)) : planText(r.plan));
            io.err(`refused: ${r.refusal}`);
            return r.code === 'refused' ? EXIT.REFUSED : EXIT.ERROR;
          }
          const { decisionId, planSha256: decidedSha, bound } = r.value;
          if (!bound)
            io.err(
              `${decision === 'approve' ? 'approving' : 'rejecting'} plan file sha256 ${decidedSha.slice(0, 12)}, the current one (--sha <prefix> binds a decision to the file you reviewed)`,
            );
          // The Conductor judges the decision again (another decision may have won the race): report its verdict.
          const outcome = await waitForDecision(crew.plans, id, decisionId, { timeoutMs });
          if (!outcome.accepted) {
            io.err(`refused: ${outcome.refusal}`);
            return EXIT.REFUSED;
          }
          if (decision === 'approve' && outcome.quorum && outcome.quorum.have < outcome.quorum.need) {
            const plan = await crew.plans.get(id);
            if (plan) io.out(opts.json ? JSON.stringify(await planWithApprovals(crew.plans, plan)) : planText(plan));
            io.err(
              `approval recorded: ${outcome.quorum.have} of ${outcome.quorum.need} approvals of plan file sha256 ${decidedSha.slice(0, 12)}; plan ${id} waits for ${outcome.quorum.need - outcome.quorum.have} more from different people`,
            );
            return EXIT.OK;
          }
          if (decision === 'reject') {
            const plan = await waitForPlan(crew.plans, id, ['REJECTED'], { timeoutMs });
            io.out(opts.json ? JSON.stringify(planJson(plan)) : planText(plan));
            return EXIT.OK;
          }
          if (!opts.json) io.err(`approved by ${by}; applying…`);
          // A stale plan comes back re-planned, waiting for a fresh approval of a new plan file.
          const plan = await waitForPlan(crew.plans, id, ['DONE', 'ROLLED_BACK', 'FAILED', 'EXPIRED', 'BLOCKED'], {
            timeoutMs,
            stop: async (p) => p.state === 'WAIT_FOR_APPROVE' && p.planSha256 !== decidedSha,
          });
          if (plan.state === 'WAIT_FOR_APPROVE') {
            io.out(opts.json ? JSON.stringify(planJson(plan)) : planText(plan));
            io.err(
              `refused: the stack changed after plan ${id} was made; it was re-planned (new plan file sha256 ${plan.planSha256?.slice(0, 12)}) and needs a fresh approval`,
            );
            return EXIT.REFUSED;
          }
          io.out(opts.json ? JSON.stringify(planJson(plan)) : planText(plan));
          return plan.state === 'DONE' ? EXIT.OK : plan.state === 'EXPIRED' ? EXIT.REFUSED : EXIT.BLOCKED;
        },
        roles,
      );
    });
}

export function registerDecideCommands(program: Command): void {
  program
    .command('approve')
    .description(
      'approve a plan someone else requested; applies exactly the reviewed plan file and waits (exit 0 DONE, 2 rolled back/failed, 3 refused)',
    )
    .argument('<id>', 'plan id')
    .option('--as <user>', 'who approves (default: the OS user)')
    .option(
      '--sha <prefix>',
      'sha256 (or its first 7+ hex digits) of the plan file you reviewed; refused if the plan was re-planned since (required under strict identity)',
    )
    .option(
      '--confirm <stack>',
      'name the stack to approve a risky plan (one that deletes or replaces resources, or costs over the monthly threshold)',
    )
    .option('--reason <text>', 'a note for the history')
    .option('--timeout <seconds>', 'how long to wait for the apply', '1800')
    .option('--json', 'print one JSON object')
    .action(decide('approve'));
  program
    .command('reject')
    .description('reject a plan waiting for approval (exit 0 REJECTED, 3 refused)')
    .argument('<id>', 'plan id')
    .option('--as <user>', 'who rejects (default: the OS user)')
    .option('--sha <prefix>', 'sha256 (or its first 7+ hex digits) of the plan file you reviewed')
    .option('--reason <text>', 'why')
    .option('--timeout <seconds>', 'how long to wait', '60')
    .option('--json', 'print one JSON object')
    .action(decide('reject'));
}
