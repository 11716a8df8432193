import { rollbackPlan } from '../src/slack/rollback-plan.js';
import { renderRefusal } from '../src/slack/render/render-refusal.js';
import type { SlackDeps } from '../src/slack/slack-deps.js';
import { commandHandler } from './run-command.js';
import { USAGE } from '../src/slack/render/render-usage.js';

/** `/rollback <id>`: restores the stack to the version before the plan. */
export function rollbackCommand(deps: SlackDeps) {
  return commandHandler(deps, {
    usage: USAGE.rollback,
    check: ({ args }) => (args.length === 1 ? undefined : USAGE.rollback),
    run: async ({ args, user }) => {
      const r = await rollbackPlan(deps, { planId: args[0] ?? '', by: user });
      return r.ok ? r.value : renderRefusal(r);
    },
  });
}
